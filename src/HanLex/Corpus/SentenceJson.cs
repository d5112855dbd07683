using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HanLex.Corpus;

/// <summary>
/// The JSON form of an analyzed sentence, shared by <c>hanlex analyze --format json</c> and the HTTP service: words
/// with their tags and UTF-16 offsets into the text (end exclusive), and compounds over word indices.
/// </summary>
public sealed record SentenceJson(string Text, IReadOnlyList<WordJson> Words, IReadOnlyList<CompoundJson> Compounds)
{
    public static SentenceJson From(Sentence s)
    {
        var words = new WordJson[s.Words.Count];
        for (int i = 0; i < words.Length; i++)
        {
            var w = s.Words[i];
            words[i] = new WordJson(w.Text, w.Tag, w.Offset, w.End);
        }
        var compounds = new CompoundJson[s.Compounds.Count];
        for (int i = 0; i < compounds.Length; i++)
        {
            var c = s.Compounds[i];
            compounds[i] = new CompoundJson(s.Text[s.Words[c.Start].Offset..s.Words[c.End - 1].End], c.Label, c.Start, c.Count);
        }
        return new SentenceJson(s.Text, words, compounds);
    }

    /// <summary>Compact, Chinese written as is rather than as \u escapes, camelCase names.</summary>
    public static JsonSerializerOptions Options { get; } = new(SentenceJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Typed by the source-generated metadata, so that trimmed and native (AOT) builds serialize it too.
    private static readonly JsonTypeInfo<SentenceJson> TypeInfo = (JsonTypeInfo<SentenceJson>)Options.GetTypeInfo(typeof(SentenceJson));

    public string ToJson() => JsonSerializer.Serialize(this, TypeInfo);
}

/// <param name="Start">Offset of the first character in the sentence text.</param>
/// <param name="End">Offset just after the last character.</param>
public sealed record WordJson(string Text, string? Tag, int Start, int End);

/// <param name="Start">Index of the first inner word.</param>
/// <param name="Count">Number of inner words.</param>
public sealed record CompoundJson(string Text, string? Label, int Start, int Count);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SentenceJson))]
[JsonSerializable(typeof(SentenceJson[]))]
internal sealed partial class SentenceJsonContext : JsonSerializerContext;
