using System.Diagnostics;
using System.Security.Cryptography;
using HanLex.Models;
using HanLex.Tests.Analysis;
using HanLex.Tests.Cli;

namespace HanLex.Tests.Reliability;

/// <summary>Killing a run, or a run failing half way, never leaves a half-written model or output in place.</summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly TempDirectory _dir = new("hanlex-crash-");

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.GetFiles(dir, "*.hlm").ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>A corpus big enough that training takes a few seconds: the tiny sentences shuffled into new ones.</summary>
    private string TrainingCorpus()
    {
        var random = new Random(7);
        var words = TinyModel.Sentences.SelectMany(s => s.Words).Where(w => w.Tag != "w").Select(w => $"{w.Text}/{w.Tag}").ToArray();
        var lines = Enumerable.Range(0, 3000).Select(_ =>
            string.Join(' ', Enumerable.Range(0, 6 + random.Next(10)).Select(_ => words[random.Next(words.Length)])) + " 。/w");
        var path = _dir["train.txt"];
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Killing_training_at_any_moment_leaves_the_previous_model_or_the_new_one()
    {
        var corpus = TrainingCorpus();
        var model = _dir["model"];
        TinyModel.Models.Save(model, "the previous model");
        var previous = Hashes(model);
        string[] args = [ProcessRunner.Hanlex, "train", "--train", corpus, "--model", model, "--epochs", "6", "-q"];

        // One full run, timed, then on a copy of the previous model kill runs at points spread over that time.
        var clock = Stopwatch.StartNew();
        var full = ProcessRunner.Run("dotnet", args, AppContext.BaseDirectory);
        Assert.True(full.ExitCode == 0, full.Error);
        var duration = clock.Elapsed;
        Assert.NotEqual(previous, Hashes(model));

        // The timed run may have shared the cores with other tests and a kill run not, or the other way round: the
        // points reach well before the models are written as well as past the end of the timed run.
        int sawPrevious = 0, sawNew = 0;
        foreach (double share in new[] { 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0, 1.1 })
        {
            TinyModel.Models.Save(model, "the previous model");
            previous = Hashes(model);
            var killAfter = duration * share;
            ProcessRunner.RunAndKill("dotnet", args, killAfter);
            var now = Hashes(model);
            var bundle = ModelBundle.Load(model); // every file whole: loads, checksum and all
            Assert.NotNull(bundle.Tagger);
            foreach (var (file, hash) in now)
            {
                // Each file is whole (it loaded, checksum and all), and either untouched or a model of this training.
                var task = Enum.GetValues<ModelTask>().Single(t => t.FileName() == file);
                var info = ModelFile.Load(Path.Combine(model, file), task).Info;
                Assert.True(hash == previous[file] || info.Description.Contains("train.txt"),
                    $"{file} after a kill at {killAfter.TotalSeconds:F1}s is neither the previous nor a new model: {info.Description}");
                if (hash == previous[file]) sawPrevious++; else sawNew++;
            }
        }
        Assert.True(sawPrevious > 0, "no kill landed before the models were written");
        // A later save clears what killed runs left behind.
        TinyModel.Models.Save(model, "after the kills");
        Assert.Empty(Directory.GetFiles(model, ".*.tmp"));
    }

    [Fact]
    public void A_failed_analyze_leaves_the_previous_output_file_untouched()
    {
        var input = _dir["in.txt"];
        File.WriteAllBytes(input, [.. "北京\n上海\n"u8, 0xE4, 0xBD, (byte)'\n']);
        var output = _dir["out.txt"];
        File.WriteAllText(output, "good output\n");
        var r = CliRunner.Run("segment", input, "-o", output, "--model", SavedTinyModel());
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("in.txt:3:1: error: invalid UTF-8", r.Error);
        Assert.Equal("good output\n", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*.tmp"));
    }

    [Fact]
    public void Empty_files_and_files_without_a_final_line_end_give_one_line_per_input_line()
    {
        var model = SavedTinyModel();
        var empty = _dir["empty.txt"];
        File.WriteAllText(empty, "");
        Assert.Equal("", CliRunner.Run("segment", empty, "--model", model).Out);
        var unterminated = _dir["last.txt"];
        File.WriteAllText(unterminated, "我们\r\n\n今天");
        var r = CliRunner.Run("segment", unterminated, "--model", model);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.Out.Split('\n').Length - 1);
        Assert.EndsWith("\n\n今天\n", r.Out);
    }

    private string SavedTinyModel()
    {
        var dir = _dir["tiny"];
        if (!Directory.Exists(dir)) TinyModel.Models.Save(dir, "tiny");
        return dir;
    }
}

public sealed class GiantLineTests
{
    [Fact]
    public void A_line_longer_than_a_piece_is_written_piece_by_piece_exactly_as_analyzed_whole()
    {
        using var dir = new TempDirectory("hanlex-giant-");
        var model = dir["model"];
        TinyModel.Models.Save(model, "tiny");
        var line = string.Concat(Enumerable.Repeat("我们今天去北京。王芳是学生 ", 2500));
        var input = dir["in.txt"];
        File.WriteAllText(input, line + "\n短的\n");
        var analyzer = new HanLex.Analysis.LexicalAnalyzer(TinyModel.Models);
        foreach (var format in new[] { "seg", "pd2014", "pd1998" })
        {
            var r = CliRunner.Run("analyze", input, "--format", format, "--model", model);
            Assert.Equal(0, r.ExitCode);
            var whole = analyzer.Analyze(line);
            var expected = format switch
            {
                "seg" => HanLex.Corpus.CorpusWriter.ToText(analyzer.Segment(line), HanLex.Corpus.CorpusFormat.Seg),
                "pd2014" => HanLex.Corpus.CorpusWriter.ToText(whole, HanLex.Corpus.CorpusFormat.Pd2014),
                _ => HanLex.Corpus.CorpusWriter.ToText(whole, HanLex.Corpus.CorpusFormat.Pd1998),
            };
            Assert.Equal(expected, r.Out.Split('\n')[0] + "\n");
            Assert.Equal(3, r.Out.Split('\n').Length);
        }
    }
}
