namespace HanLex.Models;

/// <summary>What a model file says about itself: where it came from and how it was made.</summary>
public sealed record ModelInfo(string Description, string HanLexVersion, string Templates, DateTimeOffset Created)
{
    public static string CurrentVersion { get; } =
        typeof(ModelInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
