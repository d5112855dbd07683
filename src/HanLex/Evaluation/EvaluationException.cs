namespace HanLex.Evaluation;

/// <summary>Gold and predicted data cannot be compared; the message names the lines.</summary>
public sealed class EvaluationException(string message) : Exception(message);
