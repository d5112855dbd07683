using System.Text.Json.Serialization;
using HanLex.Corpus;

namespace HanLex.Server;

/// <summary>A JSON request: one text, or several.</summary>
public sealed record AnalyzeRequest(string? Text, IReadOnlyList<string>? Texts);

/// <summary>A JSON answer: one sentence per text, in request order.</summary>
public sealed record AnalyzeResponse(IReadOnlyList<SentenceJson> Sentences);

public sealed record HealthResponse(string Status, string Model, string Version);

/// <summary>The body of every error answer (RFC 9457 problem details).</summary>
public sealed record ProblemResponse(string Title, int Status, string Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnalyzeRequest))]
[JsonSerializable(typeof(AnalyzeResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ProblemResponse))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
