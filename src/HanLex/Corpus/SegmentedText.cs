using System.Text;

namespace HanLex.Corpus;

/// <summary>Segmented text (SIGHAN, CTB, SXU): words separated by one or more spaces, written with one.</summary>
public static class SegmentedText
{
    public static Sentence Parse(ReadOnlySpan<char> line, int lineNumber = 0)
    {
        var words = new List<Word>();
        int offset = 0;
        foreach (var range in line.SplitAny(' ', '\t', '\u3000'))
        {
            var token = line[range];
            if (token.IsEmpty) continue;
            var text = token.ToString();
            words.Add(new Word(text, null, offset));
            offset += text.Length;
        }
        return new Sentence(words, [], null, lineNumber);
    }

    public static void Append(StringBuilder sb, Sentence sentence)
    {
        var words = sentence.Words;
        for (int i = 0; i < words.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(words[i].Text);
        }
    }
}
