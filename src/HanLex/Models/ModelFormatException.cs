namespace HanLex.Models;

/// <summary>A model file is missing, truncated, corrupt, foreign or of another version or task; the message names the file.</summary>
public sealed class ModelFormatException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;
}
