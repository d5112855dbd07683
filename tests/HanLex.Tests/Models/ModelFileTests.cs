using System.IO.Compression;
using System.IO.Hashing;
using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Features;
using HanLex.Models;
using HanLex.Perceptron;
using HanLex.Tests.Analysis;

namespace HanLex.Tests.Models;

public class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hanlex-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Saved()
    {
        TinyModel.Models.Save(_dir, "tiny");
        return _dir;
    }

    [Fact]
    public void Save_then_load_gives_the_same_analysis()
    {
        var loaded = LexicalAnalyzer.Load(Saved());
        var original = new LexicalAnalyzer(TinyModel.Models);
        foreach (var s in TinyModel.Sentences)
            Assert.Equal(PeopleDailyWriter.Format(original.Analyze(s.Text)), PeopleDailyWriter.Format(loaded.Analyze(s.Text)));
        Assert.Equal("tiny", loaded.Models.Info.Description);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Saving_clears_what_killed_runs_left_in_the_directory_whichever_file_they_were_writing()
    {
        // A training run killed while writing training.json leaves its temporary file; no model file has that name.
        string dead = Path.Combine(_dir, $".training.json.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(_dir, $".training.json.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        string other = Path.Combine(_dir, ".notes.txt.tmp"); // not one of ours: left alone
        foreach (var path in new[] { dead, live, other }) File.WriteAllText(path, "half");
        Saved();
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live)); // a run still going may yet commit it
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void Loading_only_segmentation_segments_the_same_and_tags_nothing()
    {
        var only = ModelBundle.Load(Saved(), [ModelTask.Segmentation]);
        Assert.Null(only.Tagger);
        Assert.Null(only.Recognizer);
        var full = new LexicalAnalyzer(TinyModel.Models);
        var segmenter = new LexicalAnalyzer(only);
        foreach (var s in TinyModel.Sentences)
            Assert.Equal(full.Segment(s.Text).Words.Select(w => w.Text), segmenter.Segment(s.Text).Words.Select(w => w.Text));
        Assert.All(segmenter.Analyze(TinyModel.Sentences[0].Text).Words, w => Assert.Null(w.Tag));
    }

    [Fact]
    public void Loading_some_models_needs_segmentation_and_entities_need_tags()
    {
        var dir = Saved();
        Assert.Throws<ArgumentException>(() => ModelBundle.Load(dir, [ModelTask.PartOfSpeech]));
        Assert.Throws<ArgumentException>(() => ModelBundle.Load(dir, [ModelTask.Segmentation, ModelTask.Entities]));
        var tagged = ModelBundle.Load(dir, [ModelTask.Segmentation, ModelTask.PartOfSpeech]);
        Assert.NotNull(tagged.Tagger);
        Assert.Null(tagged.Recognizer);
    }

    [Fact]
    public void Learned_weights_survive_saving()
    {
        var analyzer = LexicalAnalyzer.Load(Saved());
        var taught = PeopleDailyParser.Parse("[北京/ns 量子/n 计算/v 研究院/n]/nt 发布/v 新/a 成果/n");
        analyzer.Learn(taught);
        analyzer.Models.Save(_dir, "tiny+learned");
        var reloaded = LexicalAnalyzer.Load(_dir);
        Assert.Equal(PeopleDailyWriter.Format(taught), PeopleDailyWriter.Format(reloaded.Analyze(taught.Text)));
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> Damage => new()
    {
        { "truncated", b => b[..(b.Length / 2)], "truncated" },
        { "bit flip", b => { var c = (byte[])b.Clone(); c[^10] ^= 0x10; return c; }, "checksum mismatch" },
        { "empty", _ => [], "not a HanLex model file" },
        { "foreign", _ => "PK\u0003\u0004 this is a zip, not a model"u8.ToArray(), "not a HanLex model file" },
        { "wrong version", b => { var c = (byte[])b.Clone(); c[8] = 99; return c; }, "format version 99 is not supported" },
        { "version 1 header on a stored payload", b => { var c = (byte[])b.Clone(); c[8] = 1; return c; }, "corrupt model payload" },
        { "version 3 header on a stored payload", b => { var c = (byte[])b.Clone(); c[8] = 3; return c; }, "corrupt model payload" },
        { "wrong task", b => { var c = (byte[])b.Clone(); c[10] = (byte)ModelTask.Entities; return c; }, "is a ner model, expected a cws model" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void Damaged_model_files_are_rejected_with_a_clear_error(string what, Func<byte[], byte[]> damage, string message)
    {
        var path = Path.Combine(Saved(), "cws.hlm");
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));
        var e = Assert.Throws<ModelFormatException>(() => LexicalAnalyzer.Load(_dir));
        Assert.Contains(message, e.Message);
        Assert.Contains("cws.hlm", e.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void A_missing_model_directory_is_a_clear_error()
    {
        var e = Assert.Throws<ModelFormatException>(() => LexicalAnalyzer.Load(Path.Combine(_dir, "none")));
        Assert.Contains("no such model directory", e.Message);
    }

    /// <summary>The models load side by side: a missing one is still named, with what is wrong.</summary>
    [Theory]
    [InlineData("pos.hlm", "ner.hlm", "needs a part-of-speech model")]
    [InlineData("cws.hlm", "cws.hlm", "no such model file")]
    public void A_missing_model_file_is_a_clear_error(string deleted, string named, string message)
    {
        var dir = Saved();
        File.Delete(Path.Combine(dir, deleted));
        var e = Assert.Throws<ModelFormatException>(() => LexicalAnalyzer.Load(dir));
        Assert.Contains(named, e.Message);
        Assert.Contains(message, e.Message);
    }

    /// <summary>
    /// Files written before format version 5 end before the tag dictionary, before version 4 hold their payload
    /// compressed (Brotli in version 1, zlib in 2 and 3), and before version 3 have no lexicon word classes.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_file_of_an_earlier_format_version_still_loads(int version)
    {
        var path = Path.Combine(Saved(), "cws.hlm");
        var expected = LexicalAnalyzer.Load(_dir).Segment("北京大学生前来应聘").ToString();
        var current = File.ReadAllBytes(path);
        Assert.Equal(ModelFile.FormatVersion, BitConverter.ToUInt16(current, 8));
        const int header = 27;
        // A segmentation model's empty tag dictionary is its count, one byte; before that, whether the lexicon has word
        // classes, which versions before 3 do not say.
        int dropped = version < 3 ? 2 : 1;
        Assert.All(current[^dropped..], b => Assert.Equal(0, b));
        var plain = current.AsSpan(header, current.Length - header - dropped);
        var compressed = new MemoryStream();
        if (version == 4) compressed.Write(plain);
        else
            using (Stream encoder = version == 1
                       ? new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true)
                       : new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                encoder.Write(plain);
        var payload = compressed.ToArray();
        var old = new byte[header + payload.Length];
        current.AsSpan(0, 11).CopyTo(old);
        BitConverter.TryWriteBytes(old.AsSpan(8, 2), (ushort)version);
        BitConverter.TryWriteBytes(old.AsSpan(11, 8), (long)payload.Length);
        BitConverter.TryWriteBytes(old.AsSpan(19, 8), XxHash64.HashToUInt64(payload));
        payload.CopyTo(old, header);
        File.WriteAllBytes(path, old);
        Assert.Equal(expected, LexicalAnalyzer.Load(_dir).Segment("北京大学生前来应聘").ToString());
    }

    /// <summary>Labels of 128 and up take two varint bytes: a tag set that large reads back weight for weight.</summary>
    [Fact]
    public void A_model_with_more_than_128_labels_reads_back_weight_for_weight()
    {
        var labels = new LabelSet(Enumerable.Range(0, 200).Select(i => $"t{i}").ToArray());
        var rows = new Dictionary<ulong, float[]>
        {
            [3] = Enumerable.Range(0, 200).Select(i => i % 7 == 0 ? i / 8f : 0).ToArray(),
            [1UL << 40] = Enumerable.Range(0, 200).Select(i => i == 199 ? -2.5f : 0).ToArray(),
        };
        var model = LinearModel.FromDense(labels, rows, new float[201 * 200], threshold: 0);
        var path = Path.Combine(_dir, "pos.hlm");
        ModelFile.Save(path, ModelTask.PartOfSpeech, model, null, new ModelInfo("wide", ModelInfo.CurrentVersion, WordFeatures.Templates, DateTimeOffset.UnixEpoch));
        var loaded = ModelFile.Load(path, ModelTask.PartOfSpeech).Model;
        Assert.Equal(model.Keys.ToArray(), loaded.Keys.ToArray());
        foreach (var (key, row) in rows)
        {
            var scores = new float[200];
            loaded.AddScores([key], scores);
            Assert.Equal(row, scores);
        }
    }
}
