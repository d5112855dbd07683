using System.Text;
using CsCheck;
using HanLex.Corpus;

namespace HanLex.Tests.Properties;

/// <summary>
/// Every reader either parses or raises its diagnostic at the right line and column, and writing then reading gives
/// back what was read.
/// </summary>
public sealed class ReaderProperties
{
    private const long Iterations = 3000;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static void AssertSame(Sentence expected, Sentence actual, bool tags = true, bool compounds = true)
    {
        Assert.Equal(expected.Words.Select(w => w.Text), actual.Words.Select(w => w.Text));
        if (tags) Assert.Equal(expected.Words.Select(w => w.Tag), actual.Words.Select(w => w.Tag));
        if (compounds) Assert.Equal(expected.Compounds, actual.Compounds);
    }

    [Fact]
    public void People_daily_lines_parse_or_fail_at_a_column_of_the_line_and_round_trip()
    {
        Gen.Frequency((3, Gens.AnnotationLine), (1, Gens.Text)).Sample(line =>
        {
            line = line.Replace("\n", "").Replace("\r", "");
            foreach (var dialect in new[] { PeopleDailyDialect.Pd2014, PeopleDailyDialect.Pd1998 })
            {
                Sentence s;
                try
                {
                    s = new PeopleDailyParser(dialect).Parse(line, "f.txt", 7, null);
                }
                catch (CorpusException e)
                {
                    Assert.Equal(7, e.Diagnostic.Line);
                    Assert.Equal("f.txt", e.Diagnostic.File);
                    Assert.InRange(e.Diagnostic.Column, 1, line.Length + 1);
                    continue;
                }
                var written = PeopleDailyWriter.Format(s, dialect);
                AssertSame(s, new PeopleDailyParser(dialect).Parse(written, "w.txt", 1, null));
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Writing_then_reading_is_the_identity_in_every_format()
    {
        Gens.Sentence.Array[1, 5].Sample(sentences =>
        {
            foreach (var format in new[] { CorpusFormat.Pd2014, CorpusFormat.Pd1998, CorpusFormat.Seg, CorpusFormat.Conllu, CorpusFormat.Bio })
            {
                var labels = EntityLabels.AnyCompound;
                var text = string.Concat(sentences.Select(s => CorpusWriter.ToText(s, format, labels)));
                var back = CorpusReader.ReadAll(text, new CorpusReaderOptions { Format = format }).Where(s => !s.IsEmpty).ToList();
                Assert.Equal(sentences.Length, back.Count);
                for (int i = 0; i < back.Count; i++)
                {
                    switch (format)
                    {
                        case CorpusFormat.Pd2014 or CorpusFormat.Pd1998: AssertSame(sentences[i], back[i]); break;
                        case CorpusFormat.Conllu: AssertSame(sentences[i], back[i], compounds: false); break;
                        case CorpusFormat.Seg: AssertSame(sentences[i], back[i], tags: false, compounds: false); break;
                        default:
                            Assert.Equal(sentences[i].Text, back[i].Text);
                            Assert.Equal(labels.Extract(sentences[i]).Select(e => (e.Start, e.End, e.Type)), labels.Extract(back[i]).Select(e => (e.Start, e.End, e.Type)));
                            break;
                    }
                }
            }
        }, iter: Iterations / 3);
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_line_and_column()
    {
        var bytes = Gen.Frequency(
            (6, Gens.Text.Select(t => Encoding.UTF8.GetBytes(t.Replace('\uFFFD', 'x')))),
            (2, Gen.Byte.Array[0, 80]),
            (2, Gen.Select(Gens.Text, Gen.Byte[0x80, 0xFF], Gen.Int[0, 60], (t, b, at) =>
            {
                var valid = Encoding.UTF8.GetBytes(t);
                at = Math.Min(at, valid.Length);
                return valid[..at].Append(b).Concat(valid[at..]).ToArray();
            })));
        bytes.Sample(input =>
        {
            using var reader = new LineReader(new MemoryStream(input), "b.txt");
            var lines = SplitLines(input);
            for (int i = 0; i < lines.Count; i++)
            {
                string? expected = null;
                int badIndex = -1;
                try { expected = StrictUtf8.GetString(lines[i]); }
                catch (DecoderFallbackException e) { badIndex = e.Index; }
                if (expected is not null)
                {
                    Assert.True(reader.TryReadLine(out var line));
                    Assert.Equal(expected, line.ToString());
                    continue;
                }
                var error = Assert.Throws<CorpusException>(() => reader.TryReadLine(out _));
                Assert.Equal(i + 1, error.Diagnostic.Line);
                Assert.Equal(Encoding.UTF8.GetCharCount(lines[i][..badIndex]) + 1, error.Diagnostic.Column);
                return;
            }
            Assert.False(reader.TryReadLine(out _));
        }, iter: Iterations);
    }

    /// <summary>An independent split: LF ends a line, the CRs before it are dropped, a leading BOM is skipped.</summary>
    private static List<byte[]> SplitLines(byte[] input)
    {
        var span = input.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var lines = new List<byte[]>();
        while (!span.IsEmpty)
        {
            int nl = span.IndexOf((byte)'\n');
            var line = nl < 0 ? span : span[..nl];
            while (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            lines.Add(line.ToArray());
            span = nl < 0 ? [] : span[(nl + 1)..];
        }
        return lines;
    }

    [Fact]
    public void Every_reader_parses_or_raises_a_located_diagnostic_on_any_input()
    {
        var input = Gen.Frequency(
            (4, Gens.AnnotationLine.Array[0, 6].Select(lines => string.Join('\n', lines))),
            (2, Gens.Text),
            (2, Gen.Select(Gens.Text, Gen.OneOf("\t", " ", "\tB-nt", "\tO", "\t_\t_\t_"), (t, s) => string.Join('\n', t.Select(c => c + s)))),
            (1, Gen.Select(Gens.Text, Gen.Int[1, 20], (t, i) => $"{i}\t{t}\t{t}\tNOUN\tNN\t_\t0\troot\t_\t_")));
        input.Sample(text =>
        {
            int lineCount = text.Split('\n').Length;
            foreach (var format in new CorpusFormat?[] { null, CorpusFormat.Pd2014, CorpusFormat.Pd1998, CorpusFormat.Seg, CorpusFormat.Raw, CorpusFormat.Conllu, CorpusFormat.Bio })
            {
                try
                {
                    foreach (var s in CorpusReader.ReadAll(text, new CorpusReaderOptions { Format = format }, "any.txt"))
                        Assert.True(s.Words.All(w => w.Text.Length > 0));
                }
                catch (CorpusException e)
                {
                    Assert.Equal("any.txt", e.Diagnostic.File);
                    Assert.InRange(e.Diagnostic.Line, 1, lineCount + 1);
                    Assert.True(e.Diagnostic.Column >= 1);
                }
                // Lenient reading never stops.
                int skipped = 0;
                var read = CorpusReader.ReadAll(text, new CorpusReaderOptions { Format = format, Lenient = true, OnDiagnostic = d => skipped++ }, "any.txt");
                Assert.True(read.Count <= lineCount);
            }
        }, iter: Iterations / 3);
    }
}
