using System.Text.Json;

namespace HanLex.Tests.Cli;

/// <summary>The analyze and segment commands with the shipped default model.</summary>
public class AnalyzeCommandTests
{
    private const string Sentence = "湖北省环保厅和省公安消防总队联合下发通知";

    [Fact]
    public void Analyze_with_the_default_model_keeps_every_character()
    {
        var r = CliRunner.Run("analyze", "--text", Sentence);
        Assert.Equal(0, r.ExitCode);
        var line = r.Out.TrimEnd('\n');
        Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var words = line.Split(' ').Select(t => t.TrimStart('[')).Select(t => t[..t.IndexOf('/')]);
        Assert.Equal(Sentence, string.Concat(words));
        Assert.Contains("/ns", line);
    }

    [Fact]
    public void Segment_writes_one_line_per_input_line_and_keeps_empty_lines()
    {
        var r = CliRunner.RunWithInput("今天天气很好\r\n\n我们去北京", "segment");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n');
        Assert.Equal(4, lines.Length); // three lines and the final newline
        Assert.Equal("", lines[1]);
        Assert.Equal("今天天气很好", lines[0].Replace(" ", ""));
        Assert.Equal("我们去北京", lines[2].Replace(" ", ""));
    }

    [Fact]
    public void Reading_input_ends_with_a_summary_of_lines_characters_and_speed_unless_quiet()
    {
        var r = CliRunner.RunWithInput("今天天气很好\n\n我们去北京\n", "segment", "--threads", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"hanlex: segmented 3 lines, 11 characters in [0-9.]+s \([0-9.]+ M chars/s, 2 threads\) after loading the model in [0-9]+ ms", r.Error);

        Assert.Equal("", CliRunner.RunWithInput("今天天气很好\n", "segment", "--quiet").Error);
    }

    [Fact]
    public void Json_output_gives_offsets_into_the_input()
    {
        var r = CliRunner.Run("analyze", "--format", "json", "--text", "我们 去北京");
        using var doc = JsonDocument.Parse(r.Out);
        foreach (var w in doc.RootElement.GetProperty("words").EnumerateArray())
        {
            int start = w.GetProperty("start").GetInt32(), end = w.GetProperty("end").GetInt32();
            Assert.Equal("我们 去北京"[start..end], w.GetProperty("text").GetString());
        }
    }

    [Fact]
    public void A_missing_model_exits_1_with_a_message()
    {
        var r = CliRunner.Run("analyze", "--model", "/nonexistent/model", "--text", "你好");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no such model directory", r.Error);
    }

    [Fact]
    public void Segmenting_reads_only_the_segmentation_model()
    {
        using var dir = new TempDirectory("hanlex-segment-only-");
        HanLex.Models.DefaultModel.Load().Save(dir.Path, "default model, copied for a test");
        File.WriteAllText(dir["pos.hlm"], "not a model");
        var segmented = CliRunner.Run("segment", "--model", dir.Path, "--text", Sentence);
        Assert.Equal(0, segmented.ExitCode);
        Assert.Equal(CliRunner.Run("segment", "--text", Sentence).Out, segmented.Out);
        Assert.Equal(0, CliRunner.Run("analyze", "--format", "seg", "--model", dir.Path, "--text", Sentence).ExitCode);
        // Analysis needs the tagger, and names the broken file.
        var analyzed = CliRunner.Run("analyze", "--model", dir.Path, "--text", Sentence);
        Assert.Equal(1, analyzed.ExitCode);
        Assert.Contains("pos.hlm", analyzed.Error);
    }

    [Fact]
    public void Learn_updates_a_model_directory()
    {
        var dir = Directory.CreateTempSubdirectory("hanlex-learn-").FullName;
        try
        {
            HanLex.Models.DefaultModel.Load().Save(dir, "default model, copied for a test");
            const string taught = "[北京/ns 量子/n 计算/vn 研究院/n]/nt 发布/v 新/a 成果/n";
            var r = CliRunner.Run("learn", "--model", dir, "--text", taught);
            Assert.Equal(0, r.ExitCode);
            var again = CliRunner.Run("analyze", "--model", dir, "--text", "北京量子计算研究院发布新成果");
            Assert.Equal(taught + "\n", again.Out);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
