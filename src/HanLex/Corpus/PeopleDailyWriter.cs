using System.Runtime.CompilerServices;
using System.Text;

namespace HanLex.Corpus;

/// <summary>Writes sentences in either People's Daily dialect, in its canonical spacing.</summary>
public static class PeopleDailyWriter
{
    public static string Format(Sentence sentence, PeopleDailyDialect dialect = PeopleDailyDialect.Pd2014)
    {
        var sb = new StringBuilder(sentence.Text.Length * 3);
        Append(sb, sentence, dialect);
        return sb.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Append(StringBuilder sb, Sentence sentence, PeopleDailyDialect dialect)
    {
        if (sentence.IsEmpty) return;
        bool pd98 = dialect == PeopleDailyDialect.Pd1998;
        string sep = pd98 ? "  " : " ";
        if (pd98 && sentence.Id is not null) sb.Append(sentence.Id).Append("/m").Append(sep);
        var words = sentence.Words;
        var compounds = sentence.Compounds;
        int next = 0; // index of the next compound to open
        int closeAt = -1;
        string? label = null;
        for (int i = 0; i < words.Count; i++)
        {
            if (i > 0) sb.Append(sep);
            if (next < compounds.Count && compounds[next].Start == i)
            {
                sb.Append('[');
                closeAt = compounds[next].End - 1;
                label = compounds[next].Label;
                next++;
            }
            var w = words[i];
            sb.Append(w.Text).Append('/').Append(w.Tag ?? "x");
            if (i == closeAt)
            {
                sb.Append(']');
                if (!pd98) sb.Append('/');
                sb.Append(label);
                closeAt = -1;
            }
        }
        if (pd98) sb.Append(sep);
    }
}
