using System.Text;
using HanLex.Cli;
using HanLex.Tests.Analysis;

namespace HanLex.Tests.Cli;

/// <summary>
/// Drives the real hanlex process as Hadoop Streaming or Spark's RDD.pipe would: many small batches, each through a
/// process of its own on stdin and stdout; every batch comes back line for line and in order, and a bad batch fails
/// with exit code 1 and a located message without affecting the others.
/// </summary>
public sealed class PipeTests : IDisposable
{
    private readonly TempDirectory _dir = new("hanlex-pipe-");

    public void Dispose() => _dir.Dispose();

    private static ProcessRunner.Result Pipe(byte[] input, params string[] args) =>
        ProcessRunner.Run("dotnet", [ProcessRunner.Hanlex, .. args], AppContext.BaseDirectory, stdin: input, timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Many_small_batches_through_separate_processes_come_back_in_order()
    {
        var model = _dir["model"];
        TinyModel.Models.Save(model, "tiny");
        var analyzer = new HanLex.Analysis.LexicalAnalyzer(TinyModel.Models);
        var texts = TinyModel.Sentences.Select(s => s.Text).ToArray();
        var random = new Random(3);
        // Partitions of 1 to 40 lines, some empty lines, some CRLF, like text files split by an engine.
        var batches = Enumerable.Range(0, 12).Select(b => Enumerable.Range(0, 1 + random.Next(40))
            .Select(i => random.Next(6) == 0 ? "" : texts[random.Next(texts.Length)]).ToArray()).ToArray();
        var results = await Task.WhenAll(batches.Select((lines, b) => Task.Run(() =>
            Pipe(Encoding.UTF8.GetBytes(string.Join(b % 3 == 0 ? "\r\n" : "\n", lines) + "\n"),
                "segment", "--threads", (1 + b % 2).ToString(), "--quiet", "--model", model))));
        for (int b = 0; b < batches.Length; b++)
        {
            Assert.Equal(0, results[b].ExitCode);
            Assert.Equal("", results[b].Error);
            var expected = string.Concat(batches[b].Select(l => string.Join(' ', analyzer.Segment(l).Words.Select(w => w.Text)) + "\n"));
            Assert.Equal(expected, results[b].Out);
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task A_reader_that_stops_stops_the_command_silently(string threads)
    {
        var model = _dir["model"];
        TinyModel.Models.Save(model, "tiny");
        using var process = ProcessRunner.Start("dotnet", [ProcessRunner.Hanlex, "segment", "--threads", threads, "--model", model],
            AppContext.BaseDirectory, null);
        var error = process.StandardError.ReadToEndAsync();
        // Endless input, as from a producer that never ends: only the closed output can stop the command.
        var feed = Task.Run(() =>
        {
            var line = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(TinyModel.Sentences[0].Text, 10)) + "\n");
            try
            {
                while (true) process.StandardInput.BaseStream.Write(line);
            }
            catch (IOException)
            {
                // the command has exited
            }
        });
        try
        {
            Assert.NotNull(await process.StandardOutput.ReadLineAsync()); // as `head -1` reads
            process.StandardOutput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await feed.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(141, process.ExitCode);
        Assert.Equal("", await error);
    }

    [Fact]
    public void A_bad_batch_exits_1_naming_the_line_and_column()
    {
        var model = _dir["model"];
        TinyModel.Models.Save(model, "tiny");
        var r = Pipe([.. "我们今天去北京。\n王芳"u8, 0xFF, (byte)'\n'], "segment", "--quiet", "--model", model);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("<stdin>:2:3: error: invalid UTF-8", r.Error);
        var usage = Pipe([], "segment", "--no-such-option");
        Assert.Equal(2, usage.ExitCode);
    }
}

public sealed class ThreadedAnalyzeTests
{
    [Fact]
    public void Any_number_of_threads_gives_the_same_output_in_input_order()
    {
        using var dir = new TempDirectory("hanlex-threads-");
        var model = dir["model"];
        TinyModel.Models.Save(model, "tiny");
        var texts = TinyModel.Sentences.Select(s => s.Text).ToArray();
        var random = new Random(5);
        var lines = Enumerable.Range(0, 3000).Select(i => i switch
        {
            1500 => string.Concat(Enumerable.Repeat("我们今天去北京。", 2000)), // a giant line in the middle
            _ when random.Next(8) == 0 => "",
            // Lines of 1 to 40 sentences: several batches of the CLI's 64K characters, of unequal work, so that
            // threads finish them out of order.
            _ => string.Concat(Enumerable.Range(0, random.Next(1, 41)).Select(_ => texts[random.Next(texts.Length)])),
        });
        var input = dir["in.txt"];
        File.WriteAllLines(input, lines);
        foreach (var format in new[] { "pd2014", "seg", "json" })
        {
            var one = CliRunner.Run("analyze", input, "--format", format, "--threads", "1", "--model", model);
            Assert.Equal(0, one.ExitCode);
            Assert.Equal(3000, one.Out.Count(c => c == '\n'));
            foreach (var threads in new[] { "2", "5" })
                Assert.Equal(one.Out, CliRunner.Run("analyze", input, "--format", format, "--threads", threads, "--model", model).Out);
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task A_failing_output_stops_the_command_with_its_error(string threads)
    {
        using var dir = new TempDirectory("hanlex-full-");
        var model = dir["model"];
        TinyModel.Models.Save(model, "tiny");
        // About 30 batches of the CLI's 64K characters; the output fails on its fourth write.
        var line = string.Concat(Enumerable.Repeat(TinyModel.Sentences[1].Text, 20));
        var input = string.Join('\n', Enumerable.Repeat(line, 10_000));
        var error = new StringWriter();
        var output = new StreamWriter(new FullDisk(writesBeforeFailing: 3), new UTF8Encoding(false), 1 << 16);
        var console = new CliConsole(output, error, () => new MemoryStream(Encoding.UTF8.GetBytes(input)));
        // Run apart, so that a hang fails the test (TimeoutException) instead of stalling the run.
        int exitCode = await Task.Run(() => CliApp.Run(["analyze", "--threads", threads, "--model", model], console))
            .WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(1, exitCode);
        Assert.Contains("hanlex: error: No space left on device", error.ToString());
    }
}
