namespace HanLex.Corpus;

/// <summary>The corpus formats HanLex reads and writes.</summary>
public enum CorpusFormat
{
    /// <summary>People's Daily 2014: <c>word/tag</c> separated by one space, compounds <c>[w/t w/t]/nt</c>.</summary>
    Pd2014,
    /// <summary>People's Daily 1998 (PKU): line id, two-space separators, compounds <c>[w/t  w/t]nt</c>.</summary>
    Pd1998,
    /// <summary>Segmented text: words separated by spaces, no tags (SIGHAN, CTB).</summary>
    Seg,
    /// <summary>Raw text, one sentence a line.</summary>
    Raw,
    /// <summary>CoNLL-U: one word a row, FORM and UPOS/XPOS columns, blank line between sentences.</summary>
    Conllu,
    /// <summary>One character a line with a BIO/BIOES/BMES label, blank line between sentences (MSRA, Weibo NER).</summary>
    Bio,
}

public static class CorpusFormats
{
    public static readonly IReadOnlyList<string> Names = ["pd2014", "pd1998", "seg", "raw", "conllu", "bio"];

    public static string Name(this CorpusFormat format) => Names[(int)format];

    public static bool TryParse(string name, out CorpusFormat format)
    {
        int i = Names.IndexOf(name.ToLowerInvariant());
        format = i < 0 ? default : (CorpusFormat)i;
        return i >= 0;
    }

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
