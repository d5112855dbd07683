using HanLex.Analysis;
using HanLex.Server;
using HanLex.Tests.Analysis;
using Microsoft.AspNetCore.Builder;

namespace HanLex.Tests.Server;

/// <summary>The service on a free loopback port over the tiny model, started once for a test class.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public static readonly ServiceOptions Limits = new() { MaxRequestBytes = 64 * 1024, MaxTexts = 50 };
    public LexicalAnalyzer Analyzer { get; } = new(TinyModel.Models);
    private WebApplication? _app;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = AnalysisService.Create(Analyzer, Limits, "http://127.0.0.1:0");
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
