using System.Text;
using System.Text.Json;
using HanLex.Cli;

namespace HanLex.Tests.Cli;

public class CorpusCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hanlex-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("--help")]
    public void Output_that_fails_at_its_last_flush_is_reported_not_thrown(string command)
    {
        var file = Write("a.txt", "甲/n [乙/ns 丙/n]/nt\n\n丁/v 甲/n\n");
        // Buffered: nothing reaches the full disk before the command's last flush.
        var output = new StreamWriter(new FullDisk(writesBeforeFailing: 0), new UTF8Encoding(false), 1 << 16);
        var error = new StringWriter { NewLine = "\n" };
        string[] args = command == "stats" ? ["stats", file] : [command];
        Assert.Equal(1, CliApp.Run(args, new CliConsole(output, error, () => Stream.Null)));
        Assert.Equal("hanlex: error: No space left on device\n", error.ToString());
    }

    [Fact]
    public void Stats_counts_a_small_corpus_as_json()
    {
        var file = Write("a.txt", "甲/n [乙/ns 丙/n]/nt\n\n丁/v 甲/n\n");
        var r = CliRunner.Run("stats", "--json", file);
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("sentences").GetInt64());
        Assert.Equal(5, root.GetProperty("words").GetInt64());
        Assert.Equal(5, root.GetProperty("characters").GetInt64());
        Assert.Equal(4, root.GetProperty("vocabulary").GetInt64());
        Assert.Equal(1, root.GetProperty("compounds_by_label").GetProperty("nt").GetInt64());
        Assert.Equal(3, root.GetProperty("tags").GetProperty("n").GetInt64());
    }

    [Fact]
    public void Stats_reports_oov_rate_against_another_corpus()
    {
        var a = Write("a.txt", "甲/n 乙/n 乙/n 丙/n\n");
        var b = Write("b.txt", "乙/n\n");
        var r = CliRunner.Run("stats", "--json", a, "--vocab-of", b);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(50.0, doc.RootElement.GetProperty("oov_token_rate").GetDouble());
        Assert.Equal(200.0 / 3, doc.RootElement.GetProperty("oov_type_rate").GetDouble(), 3);
    }

    [Fact]
    public void Convert_reads_stdin_and_writes_stdout()
    {
        var r = CliRunner.RunWithInput("19990315-02-003-004/m  甲/n  [乙/ns  丙/n]nt  \n", "convert", "--to", "pd2014", "-", "-");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("甲/n [乙/ns 丙/n]/nt\n", r.Out);
        r = CliRunner.RunWithInput("甲/n [乙/ns 丙/n]/nt\n", "convert", "--to", "seg", "-", "-");
        Assert.Equal("甲 乙 丙\n", r.Out);
    }

    [Fact]
    public void Malformed_input_exits_1_with_a_located_diagnostic_and_leaves_no_output_file()
    {
        var input = Write("bad.txt", "甲/n\n乙/n [丙/n\n");
        var output = Path.Combine(_dir, "out.txt");
        var r = CliRunner.Run("convert", "--to", "seg", input, output);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{input}:2:5: error: unbalanced '['", r.Error);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Lenient_convert_skips_and_counts()
    {
        var input = Write("bad.txt", "甲/n\n乙\n丙/n\n");
        var r = CliRunner.Run("convert", "--lenient", "--to", "seg", input, "-");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("甲\n丙\n", r.Out);
        Assert.Contains("1 malformed sentences skipped", r.Error);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, CliRunner.Run("stats").ExitCode);
        Assert.Equal(2, CliRunner.Run("convert", "--to", "nope", "-", "-").ExitCode);
        Assert.Equal(2, CliRunner.Run("frobnicate").ExitCode);
        Assert.Equal(2, CliRunner.Run("eval", "--task", "dep", "--gold", "a", "--pred", "b").ExitCode);
    }

    [Fact]
    public void Missing_file_exits_1()
    {
        var r = CliRunner.Run("stats", Path.Combine(_dir, "none.txt"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("none.txt", r.Error);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in new[] { "stats", "convert", "split", "eval", "analyze", "segment", "train", "learn", "serve" })
        {
            var r = CliRunner.Run(command, "--help");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Usage:", r.Out);
        }
    }

    [Fact]
    public void Split_sends_the_first_share_of_non_empty_sentences_to_train()
    {
        var input = Write("all.txt", "a/n\n\nb/n\nc/n\nd/n\n");
        var train = Path.Combine(_dir, "train.txt");
        var test = Path.Combine(_dir, "test.txt");
        Assert.Equal(0, CliRunner.Run("split", "--ratio", "0.5", input, train, test).ExitCode);
        Assert.Equal("a/n\nb/n\n", File.ReadAllText(train));
        Assert.Equal("c/n\nd/n\n", File.ReadAllText(test));
    }

    [Fact]
    public void Split_reads_stdin()
    {
        var train = Path.Combine(_dir, "train.txt");
        var test = Path.Combine(_dir, "test.txt");
        Assert.Equal(0, CliRunner.RunWithInput("a/n\n\nb/n\nc/n\n", "split", "--ratio", "0.34", "-", train, test).ExitCode);
        Assert.Equal("a/n\n", File.ReadAllText(train));
        Assert.Equal("b/n\nc/n\n", File.ReadAllText(test));
    }

    [Fact]
    public void Eval_prints_json_with_lower_case_keys()
    {
        var gold = Write("g.txt", "我/r 爱/v 北京/ns\n");
        var pred = Write("p.txt", "我 爱 北 京\n");
        var train = Write("t.txt", "我/r 爱/v\n");
        var r = CliRunner.Run("eval", "--task", "cws", "--gold", gold, "--pred", pred, "--train", train, "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(50.0, doc.RootElement.GetProperty("precision").GetDouble());
        Assert.Equal(0.0, doc.RootElement.GetProperty("oov_recall").GetDouble());
        Assert.Equal(100.0, doc.RootElement.GetProperty("iv_recall").GetDouble());
    }

    [Fact]
    public void Eval_ner_reports_per_type_and_micro()
    {
        var gold = Write("g.txt", "[北京/ns 大学/n]/nt 的/u 李/nr\n");
        var r = CliRunner.Run("eval", "--task", "ner", "--gold", gold, "--pred", gold, "--json");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(100.0, doc.RootElement.GetProperty("micro").GetProperty("f1").GetDouble());
        Assert.Equal(1, doc.RootElement.GetProperty("per_type").GetProperty("nt").GetProperty("gold").GetInt64());
        Assert.Equal(1, doc.RootElement.GetProperty("multi_word").GetProperty("correct").GetInt64());
    }

    [Fact]
    public void Eval_of_mismatched_text_exits_1_naming_the_line()
    {
        var gold = Write("g.txt", "我/r 爱/v\n北京/ns\n");
        var pred = Write("p.txt", "我 爱\n南京\n");
        var r = CliRunner.Run("eval", "--task", "cws", "--gold", gold, "--pred", pred);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("g.txt:2", r.Error);
    }
}
