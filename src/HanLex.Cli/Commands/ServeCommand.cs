using System.CommandLine;
using HanLex.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace HanLex.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = "Addresses to listen on (repeatable)",
            DefaultValueFactory = _ => ["http://127.0.0.1:5080"],
        };
        var maxBytes = new Option<long>("--max-request-bytes") { Description = "Largest request body; larger ones get 413", DefaultValueFactory = _ => new ServiceOptions().MaxRequestBytes };
        var maxTexts = new Option<int>("--max-texts") { Description = "Most texts in one request; more get 413", DefaultValueFactory = _ => new ServiceOptions().MaxTexts };
        var model = new ModelOptions();
        var command = new Command("serve", "Serve POST /v1/analyze and /v1/segment over HTTP (JSON or text), GET /health, OpenAPI at /openapi/v1.json")
        {
            urls, maxBytes, maxTexts,
        };
        model.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var options = new ServiceOptions { MaxRequestBytes = parse.GetValue(maxBytes), MaxTexts = parse.GetValue(maxTexts) };
            if (options.MaxRequestBytes <= 0 || options.MaxTexts <= 0) throw new UsageException("limits must be positive");
            var analyzer = model.Load(parse);
            await using var app = AnalysisService.Create(analyzer, options, parse.GetValue(urls)!);
            await app.StartAsync(cancel);
            console.Error.WriteLine($"hanlex: serving on {string.Join(", ", app.Urls)} (Ctrl+C stops)");
            console.Error.Flush();
            await app.WaitForShutdownAsync(cancel);
            return 0;
        });
        return command;
    }
}
