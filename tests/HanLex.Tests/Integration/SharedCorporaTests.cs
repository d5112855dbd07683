using System.Security.Cryptography;
using System.Text;
using HanLex.Corpus;
using HanLex.Tests.Cli;

namespace HanLex.Tests.Integration;

/// <summary>Reads the real corpora under ../shared. These fail, never skip, when ../shared is missing.</summary>
public class SharedCorporaTests
{
    private static string Pku => SharedData.PathOf("corpora/pku1998/199801.utf8");

    [Fact]
    public void The_whole_1998_month_parses_with_the_documented_counts()
    {
        var warnings = new List<CorpusDiagnostic>();
        using var reader = CorpusReader.Open(Pku, new CorpusReaderOptions { OnDiagnostic = warnings.Add });
        Assert.Equal(CorpusFormat.Pd1998, reader.Format);
        var stats = new CorpusStatistics();
        foreach (var s in reader) stats.Add(s);
        Assert.Equal(19_484, stats.Sentences);
        Assert.Equal(1_121_447, stats.Words);
        Assert.Equal(9_238, stats.Compounds);
        Assert.Equal(44, stats.Tags.Count);
        // 10 single-space boundaries, 9 runs of three spaces, 8 lines without the trailing double space.
        Assert.Equal(27, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(Severity.Warning, w.Severity));
    }

    [Fact]
    public void The_seed_sample_holds_its_compounds()
    {
        using var reader = CorpusReader.Open(SharedData.PathOf("seed/000_c996cafefe43cc0b.txt"));
        Assert.Equal(CorpusFormat.Pd2014, reader.Format);
        var lines = reader.Where(s => !s.IsEmpty).Select(s => PeopleDailyWriter.Format(s)).ToList();
        Assert.Contains("[湖北省/ns 环保厅/nis]/nt", lines[0]);
        Assert.Contains("[公安/n 消防/b 总队/nis]/nt", lines[0]);
        Assert.Contains("的/ude1", lines[0]);
    }

    [Theory]
    [InlineData("corpora/ctb6/ctb6.train.seg", CorpusFormat.Seg)]
    [InlineData("corpora/ctb6/ctb6.dev.seg", CorpusFormat.Seg)]
    [InlineData("corpora/ctb6/ctb6.test.seg", CorpusFormat.Seg)]
    [InlineData("corpora/sighan2008-sxu/sxu_train.utf8", CorpusFormat.Seg)]
    [InlineData("corpora/sighan2008-sxu/sxu_test_gold.utf8", CorpusFormat.Seg)]
    [InlineData("corpora/ud/UD_Chinese-GSDSimp/zh_gsdsimp-ud-dev.conllu", CorpusFormat.Conllu)]
    [InlineData("corpora/ud/UD_Chinese-v1-simplified-hankcs/train.conll", CorpusFormat.Conllu)]
    [InlineData("corpora/ud/UD_Chinese-v1-simplified-hankcs/dev.conll", CorpusFormat.Conllu)]
    [InlineData("corpora/ud/UD_Chinese-v1-simplified-hankcs/test.conll", CorpusFormat.Conllu)]
    [InlineData("corpora/ner/msra/msra_test_bio.txt", CorpusFormat.Bio)]
    [InlineData("corpora/ner/weibo/weiboNER_2nd_conll.train", CorpusFormat.Bio)]
    [InlineData("corpora/ner/weibo/weiboNER_2nd_conll.dev", CorpusFormat.Bio)]
    [InlineData("corpora/ner/weibo/weiboNER_2nd_conll.test", CorpusFormat.Bio)]
    public void Every_other_corpus_reads_without_error(string path, CorpusFormat format)
    {
        var errors = new List<CorpusDiagnostic>();
        using var reader = CorpusReader.Open(SharedData.PathOf(path), new CorpusReaderOptions { Lenient = true, OnDiagnostic = errors.Add });
        Assert.Equal(format, reader.Format);
        int sentences = reader.Count(s => !s.IsEmpty);
        Assert.True(sentences > 200, $"{path}: only {sentences} sentences");
        Assert.Equal(0, reader.Skipped);
        Assert.DoesNotContain(errors, e => e.Severity == Severity.Error);
    }

    [Fact]
    public void Canonical_2014_form_of_the_month_round_trips_byte_identical()
    {
        var canonical = new StringWriter { NewLine = "\n" };
        using (var reader = CorpusReader.Open(Pku))
        {
            var writer = new CorpusWriter(canonical, CorpusFormat.Pd2014);
            foreach (var s in reader) writer.Write(s);
        }
        var text = canonical.ToString();
        var again = new StringWriter { NewLine = "\n" };
        var w2 = new CorpusWriter(again, CorpusFormat.Pd2014);
        foreach (var s in CorpusReader.ReadAll(text, new CorpusReaderOptions { OnDiagnostic = d => Assert.Fail(d.ToString()) })) w2.Write(s);
        Assert.True(text == again.ToString(), "canonical pd2014 text changed on a read-write round trip");
    }

    [Fact]
    public void Split_reproduces_the_pd98_benchmark_files()
    {
        var dir = Directory.CreateTempSubdirectory("hanlex-pd98-").FullName;
        try
        {
            var pd2014 = Path.Combine(dir, "all.txt");
            Assert.Equal(0, CliRunner.Run("convert", "--to", "pd2014", Pku, pd2014).ExitCode);
            var train = Path.Combine(dir, "train.txt");
            var test = Path.Combine(dir, "test.txt");
            Assert.Equal(0, CliRunner.Run("split", "--ratio", "0.9", pd2014, train, test).ExitCode);
            // The sha256 that ../shared/benchmarks/pd98/make.py checks.
            Assert.Equal("5777f1afc94e898fe63fb2149e7d0bd1cfd57825769853dfbbfb2ef03e7254e7", Sha256(train));
            Assert.Equal("146feda69a7ff24d3039917de49df30ae840b7cf7aaaa387ff32b7242d06d390", Sha256(test));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
