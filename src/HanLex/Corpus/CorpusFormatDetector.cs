using System.Text;

namespace HanLex.Corpus;

/// <summary>Guesses a corpus format from the first lines of a file.</summary>
public static class CorpusFormatDetector
{
    public static CorpusFormat Detect(ReadOnlySpan<byte> head, Encoding? encoding, string name)
    {
        var ext = Path.GetExtension(name).ToLowerInvariant();
        if (ext is ".conllu" or ".conll") return CorpusFormat.Conllu;
        // Decode leniently: the window may end inside a character, and bad bytes are the reader's to report.
        var lenient = encoding is null or UTF8Encoding ? Encoding.UTF8
            : CodePagesEncodingProvider.Instance.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
              ?? Encoding.UTF8;
        var text = lenient.GetString(head);
        var lines = text.Split('\n');
        // The last piece may be a line cut by the 64 KiB window.
        int count = head.Length == 1 << 16 && lines.Length > 1 ? lines.Length - 1 : lines.Length;
        return Detect(lines.Take(count).Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Take(50).ToList());
    }

    public static CorpusFormat Detect(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0) return CorpusFormat.Raw;
        int conllu = 0, bio = 0, pd98 = 0, tagged = 0, spaced = 0;
        foreach (var raw in lines)
        {
            var line = raw.TrimStart('\uFEFF');
            var cols = line.Split('\t');
            if (line.StartsWith('#') || cols.Length >= 8 && int.TryParse(cols[0].Split('-', '.')[0], out _)) conllu++;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0].EnumerateRunes().Count() <= 2 && IsCharLabel(fields[1])) bio++;
            if (fields.Length > 0 && PeopleDailyParser.IsLineId(fields[0])) pd98++;
            int withTag = fields.Count(f => f.LastIndexOf('/') is var s && s > 0 && s < f.Length - 1
                && PeopleDailyParser.IsTag(f.AsSpan(s + 1).TrimEnd(']')) || f.Contains("]/") || f.Contains(']'));
            if (fields.Length > 0 && withTag * 2 > fields.Length) tagged++;
            if (fields.Length > 1) spaced++;
        }
        int half = (lines.Count + 1) / 2;
        if (conllu >= half) return CorpusFormat.Conllu;
        if (bio >= half) return CorpusFormat.Bio;
        if (pd98 >= half) return CorpusFormat.Pd1998;
        if (tagged >= half) return CorpusFormat.Pd2014;
        if (spaced >= half) return CorpusFormat.Seg;
        return CorpusFormat.Raw;
    }

    private static bool IsCharLabel(string label) =>
        label == "O" || label.Length == 1 && "BIMES".Contains(label[0])
        || label.Length >= 3 && "BIMES".Contains(label[0]) && label[1] is '-' or '_';
}
