using HanLex.Corpus;

namespace HanLex.Tests.Corpus;

public class PeopleDailyParserTests
{
    [Fact]
    public void Parses_2014_words_and_compounds()
    {
        var s = PeopleDailyParser.Parse("近日/t ，/w [湖北省/ns 环保厅/nis]/nt 、/w 省/n [公安/n 消防/b 总队/nis]/nt 联合/vd 下发/v");
        Assert.Equal(["近日", "，", "湖北省", "环保厅", "、", "省", "公安", "消防", "总队", "联合", "下发"], s.Words.Select(w => w.Text));
        Assert.Equal("nis", s.Words[3].Tag);
        Assert.Equal([new Compound(2, 2, "nt"), new Compound(6, 3, "nt")], s.Compounds);
        Assert.Equal("近日，湖北省环保厅、省公安消防总队联合下发", s.Text);
        Assert.Equal(3, s.Words[2].Offset);
    }

    [Fact]
    public void Parses_1998_line_with_id_double_spaces_and_label_without_slash()
    {
        var line = "19990315-02-003-004/m  在/p  １９９９年/t  ，/w  [北京/ns  大学/n]nt  的/u  江/nr  明/nr  喜/Vg  ";
        var s = new PeopleDailyParser(PeopleDailyDialect.Pd1998).Parse(line, "f", 1, d => Assert.Fail(d.ToString()));
        Assert.Equal("19990315-02-003-004", s.Id);
        Assert.Equal("在", s.Words[0].Text);
        Assert.Equal("１９９９年", s.Words[1].Text);
        Assert.Equal("Vg", s.Words[^1].Tag);
        Assert.Equal([new Compound(3, 2, "nt")], s.Compounds);
        Assert.Equal(line, PeopleDailyWriter.Format(s, PeopleDailyDialect.Pd1998));
        Assert.Equal("在/p １９９９年/t ，/w [北京/ns 大学/n]/nt 的/u 江/nr 明/nr 喜/Vg", PeopleDailyWriter.Format(s));
    }

    [Theory]
    [InlineData("甲/n [乙/n 丙/n]/nz 丁/ude1")]
    [InlineData("[/w 乙/n ]/w")] // brackets as words, not compounds
    [InlineData("1/2/m 分/q")]   // a slash inside a word: the tag follows the last one
    [InlineData("a/x")]
    public void Canonical_2014_lines_round_trip(string line)
    {
        var s = PeopleDailyParser.Parse(line);
        Assert.Equal(line, PeopleDailyWriter.Format(s));
    }

    [Fact]
    public void Brackets_as_words_are_not_compounds()
    {
        var s = PeopleDailyParser.Parse("[/w 乙/n ]/w");
        Assert.Empty(s.Compounds);
        Assert.Equal(["[", "乙", "]"], s.Words.Select(w => w.Text));
    }

    [Theory]
    [InlineData("甲/n 乙", 5, "missing tag in '乙'")]
    [InlineData("甲/n /n", 5, "empty word")]
    [InlineData("甲/n 乙/", 7, "missing tag")]
    [InlineData("甲/n 乙/n-1", 7, "bad tag 'n-1'")]
    [InlineData("[甲/n [乙/n 丙/n]/nt", 6, "nested '['")]
    [InlineData("甲/n 乙/n]/nt", 8, "closes no compound")]
    [InlineData("甲/n [乙/n 丙/n", 5, "unbalanced '['")]
    public void Malformed_lines_name_line_column_and_token(string line, int column, string message)
    {
        var e = Assert.Throws<CorpusException>(() =>
            new PeopleDailyParser(PeopleDailyDialect.Pd2014).Parse(line, "a.txt", 7, null));
        Assert.Equal(7, e.Diagnostic.Line);
        Assert.Equal(column, e.Diagnostic.Column);
        Assert.Contains(message, e.Diagnostic.Message);
        Assert.StartsWith($"a.txt:7:{column}: error: ", e.Message);
    }

    [Theory]
    [InlineData("甲/n  乙/n", 4)]
    [InlineData("甲/n 乙/n ", 8)]
    [InlineData(" 甲/n 乙/n", 1)]
    [InlineData("甲/n\t乙/n", 4)]
    public void Irregular_whitespace_is_normalized_and_reported(string line, int column)
    {
        var warnings = new List<CorpusDiagnostic>();
        var s = new PeopleDailyParser(PeopleDailyDialect.Pd2014).Parse(line, "w.txt", 3, warnings.Add);
        Assert.Equal("甲/n 乙/n", PeopleDailyWriter.Format(s));
        var w = Assert.Single(warnings);
        Assert.Equal(Severity.Warning, w.Severity);
        Assert.Equal((3, column), (w.Line, w.Column));
    }

    [Fact]
    public void Single_space_in_1998_dialect_is_reported()
    {
        var warnings = new List<CorpusDiagnostic>();
        new PeopleDailyParser(PeopleDailyDialect.Pd1998).Parse("19990315-02-003-004/m  叹/Vg 身陷囹圄/i  ", "p.txt", 9, warnings.Add);
        Assert.Contains("one space instead of 2 spaces", Assert.Single(warnings).Message);
    }
}
