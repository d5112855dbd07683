using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HanLex.Corpus;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Models;
using HanLex.Tagging;
using HanLex.Text;
using HanLex.Training;

namespace HanLex.Analysis;

/// <summary>
/// Turns raw text into People's Daily annotation: words, tags and entity compounds, with offsets into the input.
/// Load once and share: every method is thread-safe. Whitespace is never part of a word, and every other character
/// of the input is in exactly one word, in order.
/// </summary>
public sealed class LexicalAnalyzer
{
    private volatile ModelBundle _models;
    private readonly IReadOnlyList<UserDictionary> _dictionaries;
    private readonly ConcurrentBag<Workspace> _workspaces = new();
    private readonly Lock _learnLock = new();

    public LexicalAnalyzer(ModelBundle models, IEnumerable<UserDictionary>? dictionaries = null)
    {
        _models = models;
        _dictionaries = dictionaries?.ToArray() ?? [];
    }

    /// <param name="only">The models to load (null: all there are), see <see cref="ModelBundle.Load(string, IReadOnlyCollection{ModelTask}, SegmentationMode)"/>.</param>
    /// <param name="mode">How a model with a screen segments (<see cref="SegmentationMode"/>).</param>
    public static LexicalAnalyzer Load(string modelDirectory, IEnumerable<UserDictionary>? dictionaries = null,
        IReadOnlyCollection<ModelTask>? only = null, SegmentationMode mode = SegmentationMode.Accurate) =>
        new(ModelBundle.Load(modelDirectory, only, mode), dictionaries);

    /// <summary>The current models (a new bundle after each <see cref="Learn(Sentence)"/>).</summary>
    public ModelBundle Models => _models;

    public IReadOnlyList<UserDictionary> Dictionaries => _dictionaries;

    /// <summary>
    /// Whether a string is a word this analyzer knows: in the segmentation model's lexicon or a user dictionary. Search
    /// indexing uses it to find the sub-words of long words.
    /// </summary>
    public bool IsKnownWord(ReadOnlySpan<char> word)
    {
        if (word.Length is 0 or > 64) return false;
        Span<char> normalized = stackalloc char[word.Length];
        for (int i = 0; i < word.Length; i++) normalized[i] = CharClassifier.Normalize(word[i]);
        if (_models.Segmenter.Lexicon?.Contains(normalized) == true) return true;
        foreach (var d in _dictionaries) if (d.ContainsNormalized(normalized)) return true;
        return false;
    }

    /// <summary>Segments, tags and finds entities.</summary>
    public Sentence Analyze(string text) => Run(text, tag: true, entities: true, null);

    /// <summary>Segments only; words carry no tags.</summary>
    public Sentence Segment(string text) => Run(text, tag: false, entities: false, null);

    /// <summary>
    /// Segments only, with no string per word: the words of <see cref="Segment(string)"/>, in order, as ranges of
    /// <paramref name="text"/> written into <paramref name="words"/>. For indexing and streaming, where a string per
    /// word is garbage to collect; the call allocates nothing. The text may be any characters, a string or a slice of
    /// a buffer.
    /// </summary>
    /// <param name="words">Room for the words: <c>text.Length</c> ranges always suffice.</param>
    /// <returns>How many words were written.</returns>
    public int Segment(ReadOnlySpan<char> text, Span<Range> words)
    {
        if (words.Length < text.Length && words.Length < MaxWords(text))
            throw new ArgumentException("too little room for the words: give at least text.Length ranges", nameof(words));
        var models = _models;
        if (!_workspaces.TryTake(out var ws)) ws = new Workspace();
        try
        {
            if (text.Length <= MaxPieceLength) return WordRanges(models, text, null, ws, words, out _);
            int count = 0;
            for (int start = 0; start < text.Length;)
            {
                // The pieces Segment(string) cuts, for the same words.
                int end = PieceEnd(text, start);
                var piece = words[count..];
                int pieceCount = WordRanges(models, text[start..end], null, ws, piece, out _);
                for (int k = 0; k < pieceCount; k++) piece[k] = new Range(piece[k].Start.Value + start, piece[k].End.Value + start);
                count += pieceCount;
                start = end;
            }
            return count;
        }
        finally
        {
            _workspaces.Add(ws);
        }
    }

    /// <summary>The most words a text can have: one per character that is not whitespace.</summary>
    private static int MaxWords(ReadOnlySpan<char> text)
    {
        int count = 0;
        foreach (char c in text) if (!CharClassifier.IsWhitespace(c)) count++;
        return count;
    }

    /// <summary>Tags and finds entities over a given segmentation (its words are kept as they are).</summary>
    public Sentence AnalyzeSegmented(IReadOnlyList<string> words) =>
        Run(string.Concat(words), tag: true, entities: true, words);

    /// <summary>
    /// Longer texts are analyzed in pieces of at most this many characters, cut after sentence-ending punctuation or
    /// whitespace where there is one in the piece's second half, so that memory stays bounded on a giant line.
    /// </summary>
    public const int MaxPieceLength = 8192;

    private Sentence Run(string text, bool tag, bool entities, IReadOnlyList<string>? fixedWords)
    {
        if (fixedWords is null && text.Length > MaxPieceLength)
        {
            var words = new List<Word>();
            var compounds = new List<Compound>();
            int start = 0;
            foreach (var piece in Pieces(text, tag, entities))
            {
                foreach (var c in piece.Compounds) compounds.Add(c with { Start = c.Start + words.Count });
                foreach (var w in piece.Words) words.Add(w with { Offset = w.Offset + start });
                start += piece.Text.Length;
            }
            return new Sentence(words, compounds, null, 0, text);
        }
        var models = _models;
        if (!_workspaces.TryTake(out var ws)) ws = new Workspace();
        try
        {
            return Analyze(models, text, tag && models.Tagger is not null, entities && models.Recognizer is not null, fixedWords, ws);
        }
        finally
        {
            _workspaces.Add(ws);
        }
    }

    /// <summary>
    /// Analyzes a text piece by piece (see <see cref="MaxPieceLength"/>): the pieces' texts, in order, make up the
    /// text, and each piece's words have offsets into its own text. For streaming giant inputs without holding all
    /// their words at once; <see cref="Analyze(string)"/> on such a text gives the same words, joined.
    /// </summary>
    public IEnumerable<Sentence> AnalyzePieces(string text, bool segmentOnly = false) => Pieces(text, !segmentOnly, !segmentOnly);

    private IEnumerable<Sentence> Pieces(string text, bool tag, bool entities)
    {
        for (int start = 0; start < text.Length;)
        {
            int end = PieceEnd(text, start);
            yield return Run(text[start..end], tag, entities, null);
            start = end;
        }
    }

    private static int PieceEnd(ReadOnlySpan<char> text, int start)
    {
        int limit = start + MaxPieceLength;
        if (limit >= text.Length) return text.Length;
        for (int i = limit - 1; i >= start + MaxPieceLength / 2; i--)
            if (text[i] is '。' or '！' or '？' or '；' or '!' or '?' or ';' || CharClassifier.IsWhitespace(text[i])) return i + 1;
        return char.IsLowSurrogate(text[limit]) ? limit - 1 : limit;
    }

    private Sentence Analyze(ModelBundle models, string text, bool tag, bool entities, IReadOnlyList<string>? fixedWords, Workspace ws)
    {
        var segmented = SegmentWords(models, text, fixedWords, ws);
        if (!tag || segmented.Words.Count == 0) return new Sentence(segmented.Words, [], null, 0, text);
        ws.Batch.Reset();
        ws.Batch.Add(text, CollectionsMarshal.AsSpan(segmented.Words));
        TagAll(models, [segmented], entities, ws);
        return Finish(models, segmented, 0, entities, ws);
    }

    /// <summary>
    /// Segments, tags and finds entities in many texts: the same sentences as <see cref="Analyze(string)"/> on each.
    /// Faster in bulk: each model runs over a batch of texts in turn and stays in the processor's cache, where one text
    /// at a time makes the three models evict each other (pd98 text: about 1.4× the rate).
    /// </summary>
    public Sentence[] Analyze(IReadOnlyList<string> texts)
    {
        var results = new Sentence[texts.Count];
        var models = _models;
        bool tag = models.Tagger is not null, entities = models.Recognizer is not null;
        if (!_workspaces.TryTake(out var ws)) ws = new Workspace();
        try
        {
            var pending = new List<(int Index, Segmented Segmented)>();
            int pendingChars = 0;
            for (int i = 0; i < texts.Count; i++)
            {
                var text = texts[i];
                if (text.Length > MaxPieceLength || !tag)
                {
                    results[i] = Run(text, tag, entities, null); // in pieces, each analyzed whole
                    continue;
                }
                pending.Add((i, SegmentWords(models, text, null, ws)));
                pendingChars += text.Length;
                if (pendingChars >= BatchChars) Flush();
            }
            Flush();

            void Flush()
            {
                if (pending.Count == 0) return;
                ws.Batch.Reset();
                foreach (var (_, segmented) in pending) ws.Batch.Add(segmented.Text, CollectionsMarshal.AsSpan(segmented.Words));
                var all = pending.Select(p => p.Segmented).ToArray();
                TagAll(models, all, entities, ws);
                for (int k = 0; k < pending.Count; k++) results[pending[k].Index] = Finish(models, pending[k].Segmented, k, entities, ws);
                pending.Clear();
                pendingChars = 0;
            }
        }
        finally
        {
            _workspaces.Add(ws);
        }
        return results;
    }

    /// <summary>
    /// Texts tagged together: enough to keep each model's hot part in cache, little enough to stay in it. With the tag
    /// dictionaries, 64K characters analyze 3–5.5% faster than 16K (pd98, CTB6 and SXU text), and 128K or 256K slower
    /// than 64K (docs/performance.md, "Session 17"). The CLI hands over batches of this size.
    /// </summary>
    private const int BatchChars = 64 * 1024;

    /// <summary>A text's words before tagging, with the tags its dictionary words impose (by start offset).</summary>
    private sealed record Segmented(string Text, List<Word> Words, Dictionary<int, (int Length, string Tag)>? DictionaryTags);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private Segmented SegmentWords(ModelBundle models, string text, IReadOnlyList<string>? fixedWords, Workspace ws)
    {
        Workspace.Ensure(ref ws.Ranges, text.Length);
        int count = WordRanges(models, text, fixedWords, ws, ws.Ranges, out var dictionaryTags);
        var words = new List<Word>(count);
        foreach (var r in ws.Ranges.AsSpan(0, count)) words.Add(new Word(text[r], null, r.Start.Value));
        return new Segmented(text, words, dictionaryTags);
    }

    /// <summary>Segments a text (or a piece of a giant one) into the ranges of its words; also gives the tags its
    /// dictionary words impose (by start offset).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private int WordRanges(ModelBundle models, ReadOnlySpan<char> text, IReadOnlyList<string>? fixedWords, Workspace ws, Span<Range> words,
        out Dictionary<int, (int Length, string Tag)>? dictionaryTags)
    {
        int n = text.Length, count = 0;
        dictionaryTags = null;
        if (n == 0) return 0;
        Workspace.Ensure(ref ws.Chars, n);
        Workspace.Ensure(ref ws.Allowed, n);
        Workspace.Ensure(ref ws.Labels, n);
        var chars = ws.Chars.AsSpan(0, n);
        for (int i = 0; i < n; i++) chars[i] = CharClassifier.Normalize(text[i]);
        var allowed = ws.Allowed.AsSpan(0, n);
        allowed.Clear();
        dictionaryTags = fixedWords is null ? ConstrainBoundaries(text, chars, allowed) : null;
        if (fixedWords is not null) FixWords(fixedWords, allowed);

        // Segment each run of non-whitespace characters.
        var labels = ws.Labels.AsSpan(0, n);
        for (int i = 0; i < n;)
        {
            if (CharClassifier.IsWhitespace(text[i])) { i++; continue; }
            int start = i;
            while (i < n && !CharClassifier.IsWhitespace(text[i])) i++;
            models.Segmenter.Label(chars[start..i], allowed[start..i], labels[start..i], ws);
            int wordStart = start;
            for (int j = start; j < i; j++)
            {
                if (WordLabels.EndsWord(labels[j]) || j == i - 1)
                {
                    words[count++] = new Range(wordStart, j + 1);
                    wordStart = j + 1;
                }
            }
        }
        return count;
    }

    /// <summary>A dictionary word with a tag keeps it: forced on the tagger when the tag set has it, written as given anyway.</summary>
    private static string? UserTag(Segmented s, Word w) =>
        s.DictionaryTags is not null && s.DictionaryTags.TryGetValue(w.Offset, out var dt) && dt.Length == w.Text.Length ? dt.Tag : null;

    /// <summary>Tags, then finds the entities of, every text of the workspace's batch: one model at a time over all of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static void TagAll(ModelBundle models, IReadOnlyList<Segmented> texts, bool entities, Workspace ws)
    {
        var batch = ws.Batch;
        var tagSet = models.Tagger!.TagSet;
        for (int t = 0; t < texts.Count; t++)
        {
            var (chars, starts, hashes, forced, tags) = batch.Of(t);
            bool anyForced = false;
            var words = texts[t].Words;
            for (int k = 0; k < words.Count; k++)
            {
                forced[k] = -1;
                if (UserTag(texts[t], words[k]) is { } userTag && tagSet.TryGetId(userTag, out int id))
                {
                    forced[k] = id;
                    anyForced = true;
                }
            }
            models.Tagger.Tag(chars, starts, hashes, anyForced ? forced : default, tags, ws);
        }
        if (!entities) return;
        for (int t = 0; t < texts.Count; t++)
        {
            var (chars, starts, hashes, _, tags) = batch.Of(t);
            models.Recognizer!.Label(chars, starts, hashes, tags, batch.EntityLabelsOf(t), ws);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static Sentence Finish(ModelBundle models, Segmented segmented, int t, bool entities, Workspace ws)
    {
        var tagSet = models.Tagger!.TagSet;
        var tags = ws.Batch.Of(t).Tags;
        var words = segmented.Words; // this call's own list: tagged in place
        for (int k = 0; k < words.Count; k++) words[k] = words[k] with { Tag = UserTag(segmented, words[k]) ?? tagSet.Names[tags[k]] };
        var compounds = entities ? models.Recognizer!.Compounds(ws.Batch.EntityLabelsOf(t)) : [];
        return new Sentence(words, compounds, null, 0, segmented.Text);
    }

    /// <summary>
    /// Marks which B/M/E/S labels each character may take: dictionary words must come out whole, and a surrogate pair
    /// is never split. Returns the tags of dictionary words by start offset, or null when none has a tag.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private Dictionary<int, (int Length, string Tag)>? ConstrainBoundaries(ReadOnlySpan<char> text, ReadOnlySpan<char> chars, Span<ulong> allowed)
    {
        for (int i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                allowed[i] = WordLabels.NotEnding;
                allowed[i + 1] = WordLabels.NotStarting;
            }
        }
        if (_dictionaries.Count == 0) return null;
        Dictionary<int, (int, string)>? tags = null;
        var found = new List<(int Start, int Length, DictionaryEntry Entry)>();
        foreach (var d in _dictionaries) d.Match(chars, found);
        var taken = new bool[text.Length];
        foreach (var (start, length, entry) in found.OrderBy(f => f.Start).ThenByDescending(f => f.Length))
        {
            bool free = true;
            for (int j = start; j < start + length; j++) free &= !taken[j];
            if (!free) continue; // crosses an earlier dictionary word: that one wins
            for (int j = 0; j < length; j++)
            {
                taken[start + j] = true;
                allowed[start + j] = 1UL << WordLabels.Of(j, length);
            }
            if (entry.Tag is not null) (tags ??= new())[start] = (length, entry.Tag);
        }
        return tags;
    }

    private static void FixWords(IReadOnlyList<string> words, Span<ulong> allowed)
    {
        int at = 0;
        foreach (var w in words)
        {
            for (int j = 0; j < w.Length; j++) allowed[at + j] = 1UL << WordLabels.Of(j, w.Length);
            at += w.Length;
        }
    }

    /// <summary>
    /// Learns from one annotated sentence, updating all models so the same text is then analyzed as taught, as fast as
    /// before (the new models are compiled: 0.1–0.5 s with the default model). Readers keep
    /// using the old models until the new ones are swapped in whole.
    /// </summary>
    public void Learn(Sentence taught)
    {
        if (taught.IsEmpty) return;
        lock (_learnLock)
        {
            _models = OnlineLearner.Learn(_models, taught);
        }
    }

    /// <summary>Learns from many sentences, as <see cref="Learn(Sentence)"/> on each in turn, compiling the models once.</summary>
    public void Learn(IEnumerable<Sentence> taught)
    {
        var sentences = taught.Where(s => !s.IsEmpty).ToArray();
        if (sentences.Length == 0) return;
        lock (_learnLock)
        {
            _models = OnlineLearner.Learn(_models, sentences);
        }
    }
}
