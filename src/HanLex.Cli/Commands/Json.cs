using System.Text.Encodings.Web;
using System.Text.Json;

namespace HanLex.Cli.Commands;

internal static class Json
{
    /// <summary>Indented, with Chinese text written as is rather than as \u escapes.</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
