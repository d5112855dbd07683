namespace HanLex.Server;

/// <summary>Limits of the HTTP service; a request over either gets 413.</summary>
public sealed record ServiceOptions
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>Most texts in one request (JSON <c>texts</c>, or lines of a text/plain body).</summary>
    public int MaxTexts { get; init; } = 1000;
}
