namespace HanLex.Tagging;

/// <summary>
/// Coarse classes of part-of-speech tags for segmentation labels (<see cref="WordLabels.Joint"/>): a character labelled
/// with its word's class as well as its position segments better than by position alone (Ng and Low 2004), because
/// verbs, names and numbers are built differently. Eleven classes, by the tag's leading letters, so that the 1998 tag
/// set (Ng, Vg, …) and the 2014 one (nrf, vshi, …) fall into the same ones.
/// </summary>
public static class WordClasses
{
    /// <summary>The classes, in label order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["a", "f", "i", "m", "n", "nr", "ns", "nt", "nz", "v", "w"];

    /// <summary>The class of <paramref name="tag"/>; names, places, organizations and other proper nouns keep their own.</summary>
    public static string Of(string tag)
    {
        if (tag.Length == 0) return "f";
        if (tag.StartsWith("nr", StringComparison.Ordinal)) return "nr";
        if (tag.StartsWith("ns", StringComparison.Ordinal)) return "ns";
        if (tag.StartsWith("nt", StringComparison.Ordinal)) return "nt";
        if (tag.StartsWith("nz", StringComparison.Ordinal)) return "nz";
        return char.ToLowerInvariant(tag[0]) switch
        {
            'w' => "w",
            'n' => "n",                 // n, Ng, nx, nis, nnt, …
            'v' => "v",                 // v, vd, vn, Vg, vshi, …
            'a' or 'b' or 'z' => "a",   // adjectives, distinguishing words, descriptives
            'm' or 'q' or 't' => "m",   // numerals, measure words, times
            'i' or 'l' or 'j' => "i",   // idioms, set phrases, abbreviations
            _ => "f",                   // function words and the rest
        };
    }

    /// <summary>The class id of <paramref name="tag"/> in <see cref="Names"/>.</summary>
    public static int IdOf(string tag) => Id(Of(tag));

    private static int Id(string name)
    {
        for (int i = 0; i < Names.Count; i++) if (Names[i] == name) return i;
        throw new ArgumentException($"unknown word class '{name}'", nameof(name));
    }
}
