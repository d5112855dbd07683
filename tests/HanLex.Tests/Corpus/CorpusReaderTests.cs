using System.Text;
using HanLex.Corpus;

namespace HanLex.Tests.Corpus;

public class CorpusReaderTests
{
    private static List<Sentence> Read(byte[] bytes, CorpusReaderOptions? options = null, string name = "t.txt")
    {
        using var reader = CorpusReader.FromStream(new MemoryStream(bytes), name, options);
        return reader.ToList();
    }

    private static List<Sentence> Read(string text, CorpusReaderOptions? options = null, string name = "t.txt") =>
        Read(Encoding.UTF8.GetBytes(text), options, name);

    [Theory]
    [InlineData("甲/n 乙/v\n丙/a\n", CorpusFormat.Pd2014)]
    [InlineData("19990315-02-003-004/m  甲/n  乙/v  \n", CorpusFormat.Pd1998)]
    [InlineData("甲 乙丙 丁\n戊 己\n", CorpusFormat.Seg)]
    [InlineData("甲乙丙丁\n戊己\n", CorpusFormat.Raw)]
    [InlineData("# text = 甲乙\n1\t甲\t_\tNOUN\tNN\t_\t0\troot\t_\t_\n2\t乙\t_\tVERB\tVV\t_\t1\tdep\t_\t_\n\n", CorpusFormat.Conllu)]
    [InlineData("中\tB-ORG\n共\tI-ORG\n致\tO\n\n", CorpusFormat.Bio)]
    public void Detects_each_format(string text, CorpusFormat expected)
    {
        using var reader = CorpusReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), "x");
        Assert.Equal(expected, reader.Format);
        Assert.NotEmpty(reader.ToList());
    }

    [Fact]
    public void Bom_and_crlf_are_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("甲/n 乙/v\r\n丙/a\r\n")).ToArray();
        var s = Read(bytes);
        Assert.Equal(2, s.Count);
        Assert.Equal("乙", s[0].Words[1].Text);
        Assert.Equal("a", s[1].Words[0].Tag);
    }

    [Fact]
    public void Blank_lines_are_empty_sentences_and_a_missing_final_newline_is_fine()
    {
        var s = Read("甲/n\n\n乙/v", new CorpusReaderOptions { Format = CorpusFormat.Pd2014 });
        Assert.Equal(3, s.Count);
        Assert.True(s[1].IsEmpty);
        Assert.Equal(3, s[2].Line);
    }

    [Fact]
    public void Invalid_utf8_names_line_and_column()
    {
        var bytes = Encoding.UTF8.GetBytes("甲/n\n乙/n ").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("/n\n")).ToArray();
        var e = Assert.Throws<CorpusException>(() => Read(bytes, new CorpusReaderOptions { Format = CorpusFormat.Pd2014 }, "bad.txt"));
        Assert.Equal(("bad.txt", 2, 5), (e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
        Assert.Contains("invalid UTF-8", e.Diagnostic.Message);
    }

    [Fact]
    public void Gb18030_is_read_when_asked()
    {
        var bytes = CorpusReaderOptions.Gb18030.GetBytes("中国/ns 人民/n\n");
        var s = Read(bytes, new CorpusReaderOptions { Encoding = CorpusReaderOptions.Gb18030 });
        Assert.Equal(["中国", "人民"], s[0].Words.Select(w => w.Text));
        Assert.Throws<CorpusException>(() => Read(bytes, new CorpusReaderOptions { Format = CorpusFormat.Pd2014 }));
    }

    [Fact]
    public void Lenient_mode_skips_reports_and_counts_bad_sentences()
    {
        var diagnostics = new List<CorpusDiagnostic>();
        var options = new CorpusReaderOptions { Format = CorpusFormat.Pd2014, Lenient = true, OnDiagnostic = diagnostics.Add };
        using var reader = CorpusReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes("甲/n\n乙\n丙/v\n")), "l.txt", options);
        var s = reader.ToList();
        Assert.Equal(["甲", "丙"], s.Select(x => x.Text));
        Assert.Equal(1, reader.Skipped);
        var d = Assert.Single(diagnostics);
        Assert.Equal((Severity.Error, 2, 1), (d.Severity, d.Line, d.Column));
    }

    [Fact]
    public void Strict_mode_stops_at_the_first_bad_sentence()
    {
        var e = Assert.Throws<CorpusException>(() => Read("甲/n\n乙\n", new CorpusReaderOptions { Format = CorpusFormat.Pd2014 }));
        Assert.Equal(2, e.Diagnostic.Line);
    }

    [Fact]
    public void Conllu_reads_forms_and_tags_past_comments_ranges_and_empty_nodes()
    {
        const string text = "# sent_id = s1\n# text = 甲乙丙\n1-2\t甲乙\t_\t_\t_\t_\t_\t_\t_\t_\n1\t甲\t_\tNOUN\tNN\t_\t0\troot\t_\t_\n" +
                            "2\t乙\t_\tVERB\t_\t_\t1\tdep\t_\t_\n2.1\t乙\t_\t_\t_\t_\t_\t_\t_\t_\n3\t丙\t_\tX\tPU\t_\t1\tpunct\t_\t_\n\n";
        var s = Assert.Single(Read(text, name: "u.conllu"));
        Assert.Equal("s1", s.Id);
        Assert.Equal(["甲/NN", "乙/VERB", "丙/PU"], s.Words.Select(w => w.ToString()));
    }

    [Fact]
    public void Character_labels_become_entity_compounds()
    {
        var s = Assert.Single(Read("中\tB-ORG\n共\tI-ORG\n致\tO\n电\tS-PER\n", new CorpusReaderOptions { Format = CorpusFormat.Bio }));
        Assert.Equal("中共致电", s.Text);
        Assert.Equal([new Compound(0, 2, "ORG"), new Compound(3, 1, "PER")], s.Compounds);
        var entities = EntityLabels.AnyCompound.Extract(s);
        Assert.Equal([new EntitySpan(0, 2, "ORG", 2), new EntitySpan(3, 4, "PER", 1)], entities);
    }

    [Fact]
    public void Weibo_positions_give_word_boundaries()
    {
        var s = Assert.Single(Read("科0\tO\n技1\tO\n张0\tB-PER.NAM\n三1\tI-PER.NAM\n好0\tO\n", new CorpusReaderOptions { Format = CorpusFormat.Bio }));
        Assert.Equal(["科技", "张三", "好"], s.Words.Select(w => w.Text));
        Assert.Equal([new Compound(1, 1, "PER.NAM")], s.Compounds);
    }

    [Fact]
    public void Untyped_bmes_labels_are_segmentation()
    {
        var s = Assert.Single(Read("科\tB\n技\tE\n好\tS\n", new CorpusReaderOptions { Format = CorpusFormat.Bio }));
        Assert.Equal(["科技", "好"], s.Words.Select(w => w.Text));
        Assert.Empty(s.Compounds);
    }

    [Fact]
    public void Bad_character_label_is_an_error_with_position()
    {
        var e = Assert.Throws<CorpusException>(() => Read("中\tB-ORG\n共\tX-ORG\n", new CorpusReaderOptions { Format = CorpusFormat.Bio }));
        Assert.Equal((2, 3), (e.Diagnostic.Line, e.Diagnostic.Column));
    }

    [Theory]
    [InlineData(CorpusFormat.Pd2014, "甲/n [乙/n 丙/n]/nt\n\n丁/v\n")]
    [InlineData(CorpusFormat.Pd1998, "19990315-02-003-004/m  甲/n  [乙/n  丙/n]nt  \n\n19990315-02-003-005/m  丁/v  \n")]
    [InlineData(CorpusFormat.Seg, "甲 乙丙\n\n丁\n")]
    [InlineData(CorpusFormat.Raw, "甲乙丙\n\n丁\n")]
    [InlineData(CorpusFormat.Bio, "甲\tO\n乙\tB-nt\n丙\tI-nt\n\n丁\tO\n\n")]
    public void Canonical_files_round_trip_byte_identical(CorpusFormat format, string text)
    {
        var sb = new StringWriter { NewLine = "\n" };
        var writer = new CorpusWriter(sb, format);
        foreach (var s in Read(text, new CorpusReaderOptions { Format = format })) writer.Write(s);
        Assert.Equal(text, sb.ToString());
    }

    [Fact]
    public void Converting_2014_to_character_labels_keeps_entities()
    {
        var s = PeopleDailyParser.Parse("在/p [北京/ns 大学/n]/nt 见/v 李/nr");
        Assert.Equal("在\tO\n北\tB-nt\n京\tI-nt\n大\tI-nt\n学\tI-nt\n见\tO\n李\tB-nr\n\n", CorpusWriter.ToText(s, CorpusFormat.Bio));
    }
}
