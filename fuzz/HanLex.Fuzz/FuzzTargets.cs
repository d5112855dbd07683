using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Models;
using HanLex.Text;

namespace HanLex.Fuzz;

/// <summary>
/// What the fuzzer feeds bytes to. A target returns normally when the input was handled as documented (parsed, or
/// rejected with the documented exception at a sane place); anything else it throws is a finding.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["lines"] = Lines,
        ["detect"] = b => Corpus(b, null),
        ["pd2014"] = b => Corpus(b, CorpusFormat.Pd2014),
        ["pd1998"] = b => Corpus(b, CorpusFormat.Pd1998),
        ["seg"] = b => Corpus(b, CorpusFormat.Seg),
        ["conllu"] = b => Corpus(b, CorpusFormat.Conllu),
        ["bio"] = b => Corpus(b, CorpusFormat.Bio),
        ["analyze"] = Analyze,
        ["model"] = Model,
    };

    private static readonly Lazy<LexicalAnalyzer> Analyzer = new(() => DefaultModel.LoadAnalyzer());

    private static void Lines(byte[] input)
    {
        using var reader = new LineReader(new MemoryStream(input), "fuzz");
        try
        {
            while (reader.TryReadLine(out _)) { }
        }
        catch (CorpusException e)
        {
            Located(e, input);
        }
    }

    private static void Corpus(byte[] input, CorpusFormat? format)
    {
        List<Sentence> sentences;
        try
        {
            using var reader = CorpusReader.FromStream(new MemoryStream(input), "fuzz", new CorpusReaderOptions { Format = format });
            sentences = reader.ToList();
            format = reader.Format;
        }
        catch (CorpusException e)
        {
            Located(e, input);
            return;
        }
        // What was read is written and read again: the same text must come back. The one exception: a U+FEFF that
        // the file's first text starts with is, when read again, a byte order mark.
        var writable = format!.Value;
        if (sentences.FirstOrDefault(s => !s.IsEmpty) is { } first && first.Text.StartsWith('\uFEFF')) return;
        var text = string.Concat(sentences.Select(s => CorpusWriter.ToText(s, writable, EntityLabels.AnyCompound)));
        var again = CorpusReader.ReadAll(text, new CorpusReaderOptions { Format = writable }).Where(s => !s.IsEmpty).ToList();
        var before = sentences.Where(s => !s.IsEmpty).ToList();
        if (again.Count != before.Count) throw new InvalidOperationException($"write-then-read: {before.Count} sentences became {again.Count}");
        for (int i = 0; i < before.Count; i++)
            if (before[i].Text != again[i].Text)
                throw new InvalidOperationException($"write-then-read changed sentence {i}: '{before[i].Text}' → '{again[i].Text}'");
    }

    private static void Located(CorpusException e, byte[] input)
    {
        int lines = 1 + input.Count(b => b == (byte)'\n');
        if (e.Diagnostic.Line < 1 || e.Diagnostic.Line > lines + 1 || e.Diagnostic.Column < 1)
            throw new InvalidOperationException($"diagnostic out of place: {e.Diagnostic}");
    }

    /// <summary>The bytes as UTF-16 code units, so lone surrogates and every control character reach the analyzer.</summary>
    private static void Analyze(byte[] input)
    {
        var chars = new char[input.Length / 2];
        Buffer.BlockCopy(input, 0, chars, 0, chars.Length * 2);
        var text = new string(chars);
        Check(text, Analyzer.Value.Analyze(text));
        Check(text, Analyzer.Value.Segment(text));
    }

    /// <summary>
    /// The analysis property: the words and the whitespace between them are exactly the text, offsets point at the
    /// words, no word holds whitespace or splits a surrogate pair, and compounds are in order over the words.
    /// </summary>
    public static void Check(string text, Sentence s)
    {
        if (s.Text != text) throw new InvalidOperationException("the sentence text is not the input");
        int at = 0;
        foreach (var w in s.Words)
        {
            if (w.Offset < at || w.Text.Length == 0 || string.CompareOrdinal(text, w.Offset, w.Text, 0, w.Text.Length) != 0)
                throw new InvalidOperationException($"word '{w.Text}' at {w.Offset} does not match the text");
            for (int i = at; i < w.Offset; i++)
                if (!CharClassifier.IsWhitespace(text[i])) throw new InvalidOperationException($"character {i} (U+{(int)text[i]:X4}) lost");
            foreach (char c in w.Text)
                if (CharClassifier.IsWhitespace(c)) throw new InvalidOperationException($"whitespace inside the word at {w.Offset}");
            if (w.Offset > 0 && char.IsLowSurrogate(text[w.Offset]) && char.IsHighSurrogate(text[w.Offset - 1]))
                throw new InvalidOperationException($"a surrogate pair is split at {w.Offset}");
            at = w.End;
        }
        for (int i = at; i < text.Length; i++)
            if (!CharClassifier.IsWhitespace(text[i])) throw new InvalidOperationException($"character {i} (U+{(int)text[i]:X4}) lost at the end");
        int next = 0;
        foreach (var c in s.Compounds)
        {
            if (c.Start < next || c.Count < 2 || c.Start + c.Count > s.Words.Count) throw new InvalidOperationException($"compound {c} out of place");
            next = c.Start + c.Count;
        }
    }

    private static void Model(byte[] input)
    {
        foreach (var task in new[] { ModelTask.Segmentation, ModelTask.PartOfSpeech, ModelTask.Entities })
        {
            try
            {
                ModelFile.Load(input, "fuzz.hlm", task);
            }
            catch (ModelFormatException)
            {
            }
        }
    }
}
