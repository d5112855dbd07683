using System.Text;

namespace HanLex.Corpus;

/// <summary>Writes sentences in any supported format. Lines end with LF.</summary>
public sealed class CorpusWriter(TextWriter output, CorpusFormat format, EntityLabels? entityLabels = null) : IDisposable
{
    private readonly StringBuilder _sb = new();
    private readonly EntityLabels _labels = entityLabels ?? EntityLabels.Default;

    public CorpusFormat Format => format;

    public void Write(Sentence sentence)
    {
        _sb.Clear();
        Append(_sb, sentence, format, _labels);
        output.Write(_sb);
    }

    /// <summary>Formats one sentence with its line end (CoNLL-U and BIO: its block and the blank line after it).</summary>
    public static string ToText(Sentence sentence, CorpusFormat format, EntityLabels? labels = null)
    {
        var sb = new StringBuilder();
        Append(sb, sentence, format, labels ?? EntityLabels.Default);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Sentence sentence, CorpusFormat format, EntityLabels labels)
    {
        switch (format)
        {
            case CorpusFormat.Pd2014: PeopleDailyWriter.Append(sb, sentence, PeopleDailyDialect.Pd2014); break;
            case CorpusFormat.Pd1998: PeopleDailyWriter.Append(sb, sentence, PeopleDailyDialect.Pd1998); break;
            case CorpusFormat.Seg: SegmentedText.Append(sb, sentence); break;
            case CorpusFormat.Raw: sb.Append(sentence.Text); break;
            case CorpusFormat.Conllu:
                if (sentence.IsEmpty) return; // blank lines separate blocks; an empty sentence has no block
                Conllu.Append(sb, sentence);
                break;
            case CorpusFormat.Bio:
                if (sentence.IsEmpty) return;
                CharacterLabels.Append(sb, sentence, labels);
                break;
        }
        sb.Append('\n');
    }

    public void Dispose() => output.Flush();
}
