using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HanLex.Analysis;
using HanLex.Corpus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace HanLex.Server;

/// <summary>
/// The HTTP service: <c>POST /v1/analyze</c> and <c>/v1/segment</c> take text/plain (one text a line) or JSON
/// (<c>{"text": …}</c> or <c>{"texts": [...]}</c>) and answer JSON or, when the client accepts only text/plain, People's
/// Daily text (segmented text for /v1/segment), one line per text. <c>GET /health</c>; OpenAPI at
/// <c>/openapi/v1.json</c>. One analyzer, loaded once, serves every request.
/// </summary>
public static class AnalysisService
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The messages' source-generated metadata, with Chinese written as is: no reflection, so the service runs
    /// in the native (AOT) build of hanlex too.</summary>
    private static readonly ServiceJsonContext Json = new(new JsonSerializerOptions(ServiceJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>
    /// Builds the service listening on <paramref name="urls"/> (port 0 picks a free port); call Run or StartAsync. Within
    /// an app of your own, call <see cref="MapHanLex"/> instead (and set Kestrel's MaxRequestBodySize yourself).
    /// </summary>
    public static WebApplication Create(LexicalAnalyzer analyzer, ServiceOptions options, params string[] urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        // Kestrel's own cap is higher than ours: a body somewhat over the limit is read and dropped, so the client gets
        // its 413 instead of a reset connection; only a body over the cap makes Kestrel close the connection.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = DrainLimit(options));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // OpenAPI reads the messages' schemas from the same metadata.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Default));
        builder.Services.AddOpenApi();
        var app = builder.Build();
        app.MapOpenApi();
        app.MapHanLex(analyzer, options);
        return app;
    }

    /// <summary>Maps <c>GET /health</c>, <c>POST /v1/analyze</c> and <c>POST /v1/segment</c> into an existing app.</summary>
    public static IEndpointRouteBuilder MapHanLex(this IEndpointRouteBuilder app, LexicalAnalyzer analyzer, ServiceOptions? options = null)
    {
        options ??= new ServiceOptions();
        var version = typeof(AnalysisService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        app.MapGet("/health", () => Results.Json(new HealthResponse("ok", analyzer.Models.Info.Description, version), Json.HealthResponse))
            .Produces<HealthResponse>();
        foreach (bool segment in new[] { false, true })
        {
            app.MapPost(segment ? "/v1/segment" : "/v1/analyze",
                    (HttpContext http, CancellationToken aborted) => Handle(http, analyzer, options, segment, aborted))
                .WithSummary(segment ? "Segment into words" : "Segment, tag and find named entities").WithDescription(Describe)
                .Accepts<AnalyzeRequest>("application/json", "text/plain")
                .Produces<AnalyzeResponse>(StatusCodes.Status200OK, "application/json", "text/plain")
                .Produces<ProblemResponse>(StatusCodes.Status400BadRequest, "application/problem+json")
                .Produces<ProblemResponse>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")
                .Produces<ProblemResponse>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json");
        }
        return app;
    }

    private const string Describe =
        "Body: text/plain (UTF-8, one text a line) or JSON {\"text\": \"…\"} or {\"texts\": [\"…\"]}. " +
        "Answer: JSON {\"sentences\": [...]} with words (text, tag, start, end offsets into the text) and compounds; " +
        "with Accept: text/plain, People's Daily 2014 text (segmented text for /v1/segment), one line per text.";

    private sealed class RequestError(int status, string title, string detail) : Exception(detail)
    {
        public int Status => status;
        public string Title => title;
    }

    private static async Task<IResult> Handle(HttpContext http, LexicalAnalyzer analyzer, ServiceOptions options, bool segment, CancellationToken aborted)
    {
        try
        {
            bool plainAnswer = WantsPlainText(http.Request);
            var texts = await ReadTexts(http.Request, options, aborted);
            var sentences = segment ? texts.Select(analyzer.Segment).ToArray() : analyzer.Analyze(texts);
            if (!plainAnswer) return Results.Json(new AnalyzeResponse(Array.ConvertAll(sentences, SentenceJson.From)), Json.AnalyzeResponse);
            var sb = new StringBuilder();
            foreach (var s in sentences) sb.Append(CorpusWriter.ToText(s, segment ? CorpusFormat.Seg : CorpusFormat.Pd2014));
            return Results.Text(sb.ToString(), "text/plain; charset=utf-8");
        }
        catch (RequestError e)
        {
            return Problem(e.Status, e.Title, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (body too large, client sent too little) surface here while reading.
            return Problem(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request", e.Message);
        }
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Json(new ProblemResponse(title, status, detail), Json.ProblemResponse, "application/problem+json", status);

    /// <summary>Plain text only when the client asks for it and does not prefer JSON; JSON otherwise.</summary>
    private static bool WantsPlainText(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0) return false;
        double plain = -1, json = -1, any = -1;
        foreach (var media in accept)
        {
            double q = media.Quality ?? 1;
            var type = media.MediaType.Value ?? "";
            if (type.Equals("text/plain", StringComparison.OrdinalIgnoreCase)) plain = Math.Max(plain, q);
            else if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)) json = Math.Max(json, q);
            else if (type is "*/*" or "text/*" or "application/*") any = Math.Max(any, q);
        }
        if (plain <= 0 && json <= 0 && any <= 0)
            throw new RequestError(StatusCodes.Status406NotAcceptable, "Not acceptable", "answers are application/json or text/plain");
        return plain > json && plain > 0;
    }

    /// <summary>How much of an oversized body is read and dropped before answering 413.</summary>
    private static long DrainLimit(ServiceOptions options) => Math.Max(16 * options.MaxRequestBytes, 64L << 20);

    private static async Task<IReadOnlyList<string>> ReadTexts(HttpRequest request, ServiceOptions options, CancellationToken aborted)
    {
        if (request.ContentLength > options.MaxRequestBytes)
        {
            if (request.ContentLength <= DrainLimit(options)) await Drain(request.Body, aborted);
            throw new RequestError(StatusCodes.Status413PayloadTooLarge, "Request too large", $"the body has {request.ContentLength:N0} bytes; the limit is {options.MaxRequestBytes:N0}");
        }
        bool json = false;
        if (!string.IsNullOrEmpty(request.ContentType))
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media))
                throw new RequestError(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"cannot parse Content-Type '{request.ContentType}'");
            var type = media.MediaType.Value ?? "";
            json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
            if (!json && !type.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
                throw new RequestError(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"send text/plain or application/json, not {type}");
            var charset = media.Charset.Value;
            if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                throw new RequestError(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"send UTF-8, not {charset}");
        }
        var body = await ReadBody(request, options.MaxRequestBytes, aborted);
        var texts = json ? ParseJson(body) : SplitLines(Decode(body));
        if (texts.Count > options.MaxTexts)
            throw new RequestError(StatusCodes.Status413PayloadTooLarge, "Too many texts", $"{texts.Count:N0} texts in one request; the limit is {options.MaxTexts:N0}");
        return texts;
    }

    private static async Task<byte[]> ReadBody(HttpRequest request, long limit, CancellationToken aborted)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, aborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                await Drain(request.Body, aborted);
                throw new RequestError(StatusCodes.Status413PayloadTooLarge, "Request too large", $"the body exceeds the limit of {limit:N0} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads the rest of a body and drops it; Kestrel stops it at its own cap.</summary>
    private static async Task Drain(Stream body, CancellationToken aborted)
    {
        var scratch = new byte[64 * 1024];
        while (await body.ReadAsync(scratch, aborted) > 0) { }
    }

    private static string Decode(byte[] body)
    {
        try
        {
            int skip = body.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            return StrictUtf8.GetString(body, skip, body.Length - skip);
        }
        catch (DecoderFallbackException e)
        {
            throw new RequestError(StatusCodes.Status400BadRequest, "Bad request", $"the body is not valid UTF-8 (byte {e.Index})");
        }
    }

    /// <summary>One text per line; a final line end does not start another text.</summary>
    private static List<string> SplitLines(string body)
    {
        var lines = body.Split('\n');
        int count = lines.Length;
        if (count > 1 && lines[^1].Length == 0) count--;
        var texts = new List<string>(count);
        for (int i = 0; i < count; i++) texts.Add(lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i]);
        return texts;
    }

    private static List<string> ParseJson(byte[] body)
    {
        AnalyzeRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ServiceJsonContext.Default.AnalyzeRequest);
        }
        catch (JsonException e)
        {
            throw new RequestError(StatusCodes.Status400BadRequest, "Malformed JSON", e.Message);
        }
        if (request is null) throw new RequestError(StatusCodes.Status400BadRequest, "Malformed JSON", "expected an object {\"text\": …} or {\"texts\": [...]}, got null");
        if (request.Text is not null && request.Texts is not null)
            throw new RequestError(StatusCodes.Status400BadRequest, "Bad request", "give either \"text\" or \"texts\", not both");
        if (request.Text is not null) return [request.Text];
        if (request.Texts is null) throw new RequestError(StatusCodes.Status400BadRequest, "Bad request", "expected an object {\"text\": …} or {\"texts\": [...]}");
        var texts = new List<string>(request.Texts.Count);
        for (int i = 0; i < request.Texts.Count; i++)
            texts.Add(request.Texts[i] ?? throw new RequestError(StatusCodes.Status400BadRequest, "Bad request", $"texts[{i}] is null"));
        return texts;
    }
}
