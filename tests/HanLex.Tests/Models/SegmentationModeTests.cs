using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Models;
using HanLex.Tests.Analysis;
using HanLex.Tests.Cli;

namespace HanLex.Tests.Models;

public class SegmentationModeTests
{
    private static readonly string[] Texts =
    [
        "人民网鄂州1月8日电近日，湖北省环保厅、省公安消防总队联合下发通知。",
        "北京大学生前来应聘，他们说：今天天气很好！",
        "１９９８年，中国经济发展很快。ABC公司的张三丰在上海工作。",
    ];

    /// <summary>The shipped model in a directory of its own, its joint model replaced by bytes that are no model.</summary>
    private static TempDirectory ShippedWithoutJointModel()
    {
        var dir = new TempDirectory("hanlex-fast-");
        DefaultModel.Load().Save(dir.Path, "default model, copied for a test");
        File.WriteAllText(dir[ModelTask.Segmentation.FileName()], "not a model");
        return dir;
    }

    [Fact]
    public void Fast_segments_with_the_screen_alone_and_never_reads_the_joint_model()
    {
        using var dir = ShippedWithoutJointModel();
        var fast = ModelBundle.Load(dir.Path, mode: SegmentationMode.Fast);
        Assert.Equal(SegmentationMode.Fast, fast.Mode);
        Assert.Null(fast.Segmenter.Screen);
        Assert.Equal(6, fast.Segmenter.Model.Labels.Count);
        var shipped = DefaultModel.Load();
        var screenAlone = new LexicalAnalyzer(shipped with { Segmenter = shipped.Segmenter.Screen! });
        var analyzer = new LexicalAnalyzer(fast);
        foreach (var text in Texts)
            Assert.Equal(PeopleDailyWriter.Format(screenAlone.Analyze(text)), PeopleDailyWriter.Format(analyzer.Analyze(text)));
        // The accurate mode reads the joint model, and names the broken file.
        var e = Assert.Throws<ModelFormatException>(() => ModelBundle.Load(dir.Path));
        Assert.Contains(ModelTask.Segmentation.FileName(), e.Message);
    }

    [Fact]
    public void A_fast_bundle_is_never_saved_over_the_joint_model_it_did_not_read()
    {
        using var dir = ShippedWithoutJointModel();
        var before = Directory.GetFiles(dir.Path).ToDictionary(f => f, File.ReadAllBytes);
        var fast = ModelBundle.Load(dir.Path, mode: SegmentationMode.Fast);
        var e = Assert.Throws<InvalidOperationException>(() => fast.Save(dir.Path, "fast"));
        Assert.Contains("SegmentationMode.Accurate", e.Message);
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void A_model_without_a_screen_segments_the_same_in_either_mode()
    {
        using var dir = new TempDirectory("hanlex-fast-");
        TinyModel.Models.Save(dir.Path, "tiny");
        var fast = ModelBundle.Load(dir.Path, mode: SegmentationMode.Fast);
        Assert.Equal(SegmentationMode.Accurate, fast.Mode);
        var accurate = new LexicalAnalyzer(ModelBundle.Load(dir.Path));
        foreach (var s in TinyModel.Sentences)
            Assert.Equal(accurate.Segment(s.Text).ToString(), new LexicalAnalyzer(fast).Segment(s.Text).ToString());
    }

    [Fact]
    public void The_commands_take_fast()
    {
        var r = CliRunner.Run("segment", "--fast", "--text", Texts[0]);
        Assert.Equal(0, r.ExitCode);
        var expected = new LexicalAnalyzer(DefaultModel.Load([ModelTask.Segmentation], SegmentationMode.Fast)).Segment(Texts[0]);
        Assert.Equal(string.Join(" ", expected.Words.Select(w => w.Text)) + "\n", r.Out);
    }
}
