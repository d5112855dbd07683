using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HanLex.Tests.Analysis;

namespace HanLex.Tests.Packaging;

/// <summary>The tests that build the solution in Release themselves: run one at a time, they never write the same
/// files at once.</summary>
[CollectionDefinition(Name)]
public sealed class DotnetBuilds
{
    public const string Name = "dotnet builds";
}

/// <summary>
/// Publishes hanlex ahead of time, as the README says, and runs the native binary. Every build already checks the code
/// for trimming and AOT; only a published binary shows what such checks cannot, such as a feature switch, a resource
/// or a type's JSON metadata left out.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class NativeBuildTests : IDisposable
{
    private const string Sentence = "湖北省环保厅和省公安消防总队联合下发通知";
    private readonly TempDirectory _dir = new("hanlex-native-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Native_hanlex_analyzes_trains_evaluates_and_serves()
    {
        // The README's command: no -r, so this machine's runtime identifier is inferred.
        var bin = _dir["bin"];
        var project = Path.Combine(SharedData.RepoRoot, "src", "HanLex.Cli");
        var publish = ProcessRunner.Run("dotnet", ["publish", project, "-c", "Release", "-o", bin], SharedData.RepoRoot);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        if (RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            // Without AVX2 the kernels fall back to their slower paths: the compiler must have been told to use it.
            var ilc = File.ReadAllText(Path.Combine(project, "obj", "Release", "net10.0", RuntimeInformation.RuntimeIdentifier, "native", "hanlex.ilc.rsp"));
            Assert.Contains("--instruction-set:x86-64-v3", ilc);
        }
        var hanlex = Path.Combine(bin, OperatingSystem.IsWindows() ? "hanlex.exe" : "hanlex");
        Assert.False(File.Exists(Path.Combine(bin, "hanlex.dll")), "published for the JIT, not ahead of time");
        ProcessRunner.Result Run(params string[] args) => ProcessRunner.Run(hanlex, args, _dir.Path);

        // The default model is built into the binary.
        var analyze = Run("analyze", "--text", Sentence);
        Assert.True(analyze.ExitCode == 0, analyze.ToString());
        Assert.Equal("[湖北省/ns 环保厅/n]/nt 和/c 省/n 公安/n 消防/b 总队/n 联合/v 下发/v 通知/n\n", analyze.Out);
        var segment = ProcessRunner.Run(hanlex, ["segment"], _dir.Path, stdin: Encoding.UTF8.GetBytes(Sentence + "\n\n我们\n"));
        Assert.Equal("湖北省 环保厅 和 省 公安 消防 总队 联合 下发 通知\n\n我们\n", segment.Out);
        // GB18030 input: the code pages must survive trimming. 我们北京 in GB18030.
        var gb = ProcessRunner.Run(hanlex, ["segment", "--encoding", "gb18030"], _dir.Path, stdin: [0xCE, 0xD2, 0xC3, 0xC7, 0xB1, 0xB1, 0xBE, 0xA9, (byte)'\n']);
        Assert.Equal("我们 北京\n", gb.Out);
        using (var json = JsonDocument.Parse(Run("analyze", "--text", Sentence, "--format", "json").Out))
            Assert.Equal(10, json.RootElement.GetProperty("words").GetArrayLength());

        // Every JSON report: its types' metadata is generated at compile time, and a type left out fails only here.
        var corpus = _dir["tiny.txt"];
        File.WriteAllLines(corpus, TinyModel.Corpus);
        var train = Run("train", "--train", corpus, "--dev", corpus, "--model", _dir["model"], "--epochs", "2", "--json");
        Assert.True(train.ExitCode == 0, train.ToString());
        using (var json = JsonDocument.Parse(train.Out))
            Assert.Equal(6, json.RootElement.GetProperty("epochs").GetArrayLength());
        var eval = Run("eval", "--model", _dir["model"], "--task", "ner", "--gold", corpus, "--json", "--report", _dir["report.html"]);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        using (var json = JsonDocument.Parse(eval.Out))
            Assert.Equal(9, json.RootElement.GetProperty("gold").GetInt32());
        Assert.Contains("\"label\": \"ner: dev score\"", File.ReadAllText(_dir["report.html"]));
        using (var json = JsonDocument.Parse(Run("stats", corpus, "--json").Out))
            Assert.Equal(8, json.RootElement.GetProperty("sentences").GetInt32());

        // Exit codes, as Hadoop Streaming and Spark read them (docs/scale.md): 1 for bad input, 2 for a usage error.
        var bad = ProcessRunner.Run(hanlex, ["segment", "--quiet"], _dir.Path, stdin: [.. "我们今天去北京。\n王芳"u8, 0xFF, (byte)'\n']);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("<stdin>:2:3: error: invalid UTF-8", bad.Error);
        Assert.Equal(2, Run("segment", "--no-such-option").ExitCode);

        // The service: endpoints bound at compile time, its messages and OpenAPI document.
        using var serve = ProcessRunner.Start(hanlex, ["serve", "--urls", "http://127.0.0.1:0"], _dir.Path, null);
        try
        {
            // Its address is on the line that says it serves; a warning may come before it.
            string? url = null, line;
            var printed = new StringBuilder();
            while (url is null && (line = await serve.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1))) is not null)
            {
                printed.AppendLine(line);
                if (line.Contains("serving on", StringComparison.Ordinal))
                    url = line.Split(' ').FirstOrDefault(w => w.StartsWith("http://", StringComparison.Ordinal));
            }
            Assert.True(url is not null, $"serve printed: {printed}");
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using (var health = JsonDocument.Parse(await client.GetStringAsync("/health")))
                Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            var answer = await client.PostAsJsonAsync("/v1/analyze", new { text = Sentence });
            using (var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()))
                Assert.Equal("nt", json.RootElement.GetProperty("sentences")[0].GetProperty("compounds")[0].GetProperty("label").GetString());
            var malformed = await client.PostAsync("/v1/analyze", new StringContent("{\"text\":", Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Contains("\"AnalyzeRequest\"", await client.GetStringAsync("/openapi/v1.json"));
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }
}
