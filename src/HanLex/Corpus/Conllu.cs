using System.Text;

namespace HanLex.Corpus;

/// <summary>
/// CoNLL-U (and the 10-column UD v1 files): one word a row, a blank line after each sentence.
/// The tag is XPOS, or UPOS when XPOS is <c>_</c>. Multiword ranges (<c>1-2</c>) and empty nodes (<c>1.1</c>) are
/// read past: the words under a range carry the text.
/// </summary>
public static class Conllu
{
    /// <summary>Builds a sentence from the rows of one block; <paramref name="rows"/> holds (line number, text).</summary>
    public static Sentence Parse(IReadOnlyList<(int Line, string Text)> rows, string file)
    {
        var words = new List<Word>();
        string? id = null;
        int offset = 0;
        foreach (var (line, text) in rows)
        {
            if (text.StartsWith('#'))
            {
                const string SentId = "# sent_id =";
                if (text.StartsWith(SentId, StringComparison.Ordinal)) id = text[SentId.Length..].Trim();
                continue;
            }
            var cols = text.Split('\t');
            if (cols.Length < 4)
                throw new CorpusException(new CorpusDiagnostic(Severity.Error, file, line, 1,
                    $"expected at least 4 tab-separated columns (ID FORM LEMMA UPOS …), found {cols.Length}"));
            var wordId = cols[0];
            if (wordId.Contains('-') || wordId.Contains('.')) continue;
            if (!int.TryParse(wordId, out _))
                throw new CorpusException(new CorpusDiagnostic(Severity.Error, file, line, 1, $"bad word id '{wordId}'"));
            var form = cols[1];
            if (form.Length == 0 || form == "_" && cols.Length > 2 && cols[2] != "_")
                throw new CorpusException(new CorpusDiagnostic(Severity.Error, file, line, wordId.Length + 2, $"empty word form in word {wordId}"));
            string? tag = cols.Length > 4 && cols[4] != "_" ? cols[4] : cols[3] != "_" ? cols[3] : null;
            words.Add(new Word(form, tag, offset));
            offset += form.Length;
        }
        return new Sentence(words, [], id, rows.Count > 0 ? rows[0].Line : 0);
    }

    public static void Append(StringBuilder sb, Sentence sentence)
    {
        if (sentence.Id is not null) sb.Append("# sent_id = ").Append(sentence.Id).Append('\n');
        sb.Append("# text = ").Append(sentence.Text).Append('\n');
        for (int i = 0; i < sentence.Words.Count; i++)
        {
            var w = sentence.Words[i];
            sb.Append(i + 1).Append('\t').Append(w.Text).Append("\t_\t_\t").Append(w.Tag ?? "_").Append("\t_\t_\t_\t_\t_\n");
        }
    }
}
