using System.Text;

namespace HanLex.Corpus;

/// <summary>How a corpus file is read.</summary>
public sealed record CorpusReaderOptions
{
    /// <summary>The format; null detects it from the first lines.</summary>
    public CorpusFormat? Format { get; init; }

    /// <summary>The encoding; null is UTF-8 (with or without BOM).</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>Skip a malformed sentence (reporting it) instead of stopping at it.</summary>
    public bool Lenient { get; init; }

    /// <summary>Receives warnings, and in lenient mode the errors of skipped sentences.</summary>
    public Action<CorpusDiagnostic>? OnDiagnostic { get; init; }

    /// <summary>GB18030 (a superset of GBK and GB2312), failing on invalid bytes instead of replacing them.</summary>
    public static Encoding Gb18030 { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;

    /// <summary>Resolves an encoding name given on the command line.</summary>
    public static Encoding? ParseEncoding(string name) => name.ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => new UTF8Encoding(false, true),
        "gb18030" or "gbk" or "gb2312" or "cp936" => Gb18030,
        _ => null,
    };
}
