using System.Text.Json;
using HanLex.Tests.Analysis;

namespace HanLex.Tests.Cli;

/// <summary>train and eval through the command line, on the tiny corpus: JSON, history, confusion matrix, report, quiet.</summary>
public sealed class TrainEvalCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("hanlex-train-");

    public void Dispose() => _dir.Dispose();

    private string Corpus()
    {
        var path = _dir["tiny.txt"];
        File.WriteAllLines(path, TinyModel.Corpus);
        return path;
    }

    [Fact]
    public void Train_json_lists_the_models_and_every_epoch_and_keeps_a_history_beside_them()
    {
        var corpus = Corpus();
        var model = _dir["model"];
        var r = CliRunner.Run("train", "--train", corpus, "--dev", corpus, "--model", model, "--epochs", "3", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["cws.hlm", "ner.hlm", "pos.hlm"], files);
        var epochs = doc.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(9, epochs.Count);
        Assert.All(epochs, e => Assert.InRange(e.GetProperty("dev").GetDouble(), 0, 100));
        Assert.True(File.Exists(Path.Combine(model, "training.json")));
        Assert.Contains("wrote", r.Error);
    }

    [Fact]
    public void Word_classes_train_a_joint_segmentation_model_and_ensemble_averages_several()
    {
        var corpus = Corpus();
        var model = _dir["model"];
        var r = CliRunner.Run("train", "--task", "cws", "--word-classes", "--ensemble", "2", "--train", corpus, "--model", model, "--epochs", "8", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("66 labels", r.Error);
        // Two averaged models: their epochs count on, 1 to 16.
        using (var trained = JsonDocument.Parse(r.Out))
            Assert.Equal(Enumerable.Range(1, 16), trained.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        var e = CliRunner.Run("eval", "--model", model, "--task", "cws", "--gold", corpus, "--json");
        Assert.Equal(0, e.ExitCode);
        using var doc = JsonDocument.Parse(e.Out);
        // Weights of magnitude 1 and less are pruned, as for real corpora: eight sentences keep too few to be perfect.
        Assert.True(doc.RootElement.GetProperty("f1").GetDouble() > 90, e.Out);
    }

    [Fact]
    public void Quiet_drops_informational_lines_but_not_results()
    {
        var corpus = Corpus();
        var model = _dir["model"];
        var r = CliRunner.Run("train", "--train", corpus, "--model", model, "--epochs", "2", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        var e = CliRunner.Run("eval", "--model", model, "--task", "cws", "--gold", corpus, "-q");
        Assert.Equal("", e.Error);
        Assert.StartsWith("segmentation  P ", e.Out);
    }

    [Fact]
    public void Eval_writes_a_confusion_matrix_and_an_html_report_with_learning_curves()
    {
        var corpus = Corpus();
        var model = _dir["model"];
        Assert.Equal(0, CliRunner.Run("train", "--train", corpus, "--dev", corpus, "--model", model, "--epochs", "3", "-q").ExitCode);
        var matrix = _dir["confusion.tsv"];
        var report = _dir["report.html"];
        var r = CliRunner.Run("eval", "--model", model, "--task", "pos", "--gold", corpus, "--confusion", matrix, "--report", report);
        Assert.Equal(0, r.ExitCode);
        var rows = File.ReadAllLines(matrix);
        var tags = rows[0].Split('\t')[1..];
        Assert.Contains("nr", tags);
        Assert.Equal(tags.Length + 1, rows.Length);
        // The counts add up to the words scored on gold segmentation.
        long words = TinyModel.Sentences.Sum(s => s.Words.Count);
        Assert.Equal(words, rows.Skip(1).Sum(row => row.Split('\t').Skip(1).Sum(long.Parse)));
        var html = File.ReadAllText(report);
        Assert.Contains("<canvas id=\"learning-curves\">", html);
        Assert.Contains("Chart.js v4", html);
        Assert.Contains("\"label\": \"pos: dev score\"", html);
        Assert.Contains("Learning curves", html);
        Assert.Contains("tag confusions", html);

        var ner = _dir["ner.html"];
        Assert.Equal(0, CliRunner.Run("eval", "--model", model, "--task", "ner", "--gold", corpus, "--report", ner, "-q").ExitCode);
        Assert.Contains("<td>nt</td>", File.ReadAllText(ner));
    }

    [Fact]
    public void Confusion_matrix_needs_the_pos_task()
    {
        var corpus = Corpus();
        var r = CliRunner.Run("eval", "--pred", corpus, "--gold", corpus, "--task", "cws", "--confusion", _dir["c.tsv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--confusion needs --task pos", r.Error);
    }

    [Fact]
    public void Lexicon_files_reach_the_segmentation_model_and_its_description()
    {
        var corpus = Corpus();
        var model = _dir["model"];
        var words = _dir["words.txt"];
        File.WriteAllLines(words, ["# vocabulary of another corpus", "量子计算", "研究院 n 12"]);
        var r = CliRunner.Run("train", "--task", "cws", "--train", corpus, "--model", model, "--epochs", "2", "--lexicon", words, "-q");
        Assert.Equal(0, r.ExitCode);
        var bundle = HanLex.Models.ModelBundle.Load(model);
        Assert.True(bundle.Segmenter.Lexicon!.Contains("量子计算"));
        Assert.True(bundle.Segmenter.Lexicon.Contains("研究院"));
        Assert.Contains("segmentation lexicon with 2 words of words.txt", bundle.Info.Description);
    }

    [Fact]
    public void A_malformed_lexicon_file_is_named_with_line_and_column()
    {
        var words = _dir["words.txt"];
        File.WriteAllLines(words, ["量子计算", "研究院 n x"]);
        var r = CliRunner.Run("train", "--task", "cws", "--train", Corpus(), "--model", _dir["model"], "--lexicon", words);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("words.txt:2:", r.Error);
        Assert.DoesNotContain("   at ", r.Error);
    }

    [Fact]
    public void Extra_corpora_train_the_segmentation_model_and_are_recorded_in_its_description()
    {
        var extra = _dir["other.seg"];
        File.WriteAllLines(extra, ["北京大学 的 学生 说", "他 在 北京大学 工作"]);
        var model = _dir["model"];
        var r = CliRunner.Run("train", "--task", "cws", "--train", Corpus(), "--model", model, "--epochs", "2", "--extra", extra, "-q");
        Assert.Equal(0, r.ExitCode);
        var bundle = HanLex.Models.ModelBundle.Load(model);
        Assert.Contains("segmentation also from other.seg (2 sentences)", bundle.Info.Description);
        Assert.True(bundle.Segmenter.Lexicon!.Contains("北京大学"));
        var tooMany = Enumerable.Repeat(new[] { "--extra", extra }, HanLex.Features.CorpusCopies.MaxCorpora).SelectMany(x => x);
        var u = CliRunner.Run(["train", "--task", "cws", "--train", Corpus(), "--model", model, .. tooMany]);
        Assert.Equal(2, u.ExitCode);
        Assert.Contains("--extra takes at most 6 corpora", u.Error);
        var pos = CliRunner.Run("train", "--task", "pos", "--train", Corpus(), "--model", model, "--extra", extra);
        Assert.Equal(2, pos.ExitCode);
        Assert.Contains("--task cws or all", pos.Error);
    }
}
