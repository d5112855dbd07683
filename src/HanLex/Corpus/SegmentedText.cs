using System.Runtime.CompilerServices;
using System.Text;

namespace HanLex.Corpus;

/// <summary>Segmented text (SIGHAN, CTB, SXU): words separated by whitespace, written with one space.</summary>
public static class SegmentedText
{
    /// <summary>Words are the runs of non-whitespace characters (whitespace as the analyzer sees it: any Unicode space).</summary>
    public static Sentence Parse(ReadOnlySpan<char> line, int lineNumber = 0)
    {
        var words = new List<Word>();
        int offset = 0;
        for (int i = 0; i < line.Length;)
        {
            if (Text.CharClassifier.IsWhitespace(line[i])) { i++; continue; }
            int start = i;
            while (i < line.Length && !Text.CharClassifier.IsWhitespace(line[i])) i++;
            words.Add(new Word(line[start..i].ToString(), null, offset));
            offset += i - start;
        }
        return new Sentence(words, [], null, lineNumber);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Append(StringBuilder sb, Sentence sentence)
    {
        var words = sentence.Words;
        for (int i = 0; i < words.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(words[i].Text);
        }
    }

    /// <summary>The same, for words given as ranges of <paramref name="text"/> (<c>LexicalAnalyzer.Segment(text, ranges)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Append(StringBuilder sb, ReadOnlySpan<char> text, ReadOnlySpan<Range> words)
    {
        for (int i = 0; i < words.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(text[words[i]]);
        }
    }
}
