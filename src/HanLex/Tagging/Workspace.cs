using System.Runtime.CompilerServices;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Scratch buffers for one analysis call, grown as needed and reused: analyzers rent one per call, so the hot path
/// allocates only its output.
/// </summary>
public sealed class Workspace
{
    public char[] Chars = new char[256];
    public ulong[] Keys = new ulong[256 * 16];
    public float[] Emissions = new float[256 * 8];
    public int[] Labels = new int[256];
    public ulong[] Allowed = new ulong[256];
    public LexiconMatch[] Lexicon = new LexiconMatch[256];
    public long[] Found = new long[256 * 16];
    public int[] FoundAt = new int[256 * 16];
    public TagBatch Batch { get; } = new();
    public char[] Padded = new char[260];
    public int[] Pairs = new int[259];
    public int[] Blocks = new int[260];
    public byte[] Classes = new byte[260];
    public int[] Skips = new int[256];
    public int[] LexiconChars = new int[512];
    public int[] Back = new int[256 * 8];
    public float[] Forward = new float[256 * 8];
    public float[] Emitted = new float[256 * 8];
    public float[] Margins = new float[256];
    public ulong[] SpanAllowed = new ulong[256];
    public int[] SpanLabels = new int[256];
    public ulong[] Subjects = new ulong[260];
    public Range[] Ranges = new Range[256];
    public int[] Settled = new int[256];

    /// <summary>Room for <paramref name="count"/> settled labels (<see cref="TagDictionary"/>).</summary>
    public Span<int> SettledFor(int count)
    {
        Ensure(ref Settled, count);
        return Settled.AsSpan(0, count);
    }

    /// <summary>Room for <paramref name="count"/> feature keys.</summary>
    public Span<ulong> KeysFor(int count)
    {
        Ensure(ref Keys, count);
        return Keys.AsSpan(0, count);
    }

    /// <summary><paramref name="count"/> emission scores, zeroed.</summary>
    public Span<float> EmissionsFor(int count)
    {
        var span = UnclearedEmissionsFor(count);
        span.Clear();
        return span;
    }

    /// <summary><paramref name="count"/> emission scores as the last call left them, for a caller that writes every one.</summary>
    internal Span<float> UnclearedEmissionsFor(int count)
    {
        Ensure(ref Emissions, count);
        return Emissions.AsSpan(0, count);
    }

    /// <summary>
    /// Scores <paramref name="keys"/> (<paramref name="perPosition"/> a position) into <paramref name="emissions"/>
    /// and decodes the best label sequence into <paramref name="output"/>.
    /// </summary>
    public void ScoreAndDecode(LinearModel model, ReadOnlySpan<ulong> keys, int perPosition, Span<float> emissions, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default)
    {
        AddScores(model, keys, perPosition, emissions);
        ViterbiDecoder.Decode(model, emissions, output.Length, output, allowed, forced);
    }

    /// <summary><see cref="LinearModel.AddScores(ReadOnlySpan{ulong}, int, Span{float}, Span{long}, Span{int})"/> with this
    /// workspace's scratch.</summary>
    internal void AddScores(LinearModel model, ReadOnlySpan<ulong> keys, int perPosition, Span<float> emissions)
    {
        Ensure(ref Found, keys.Length);
        Ensure(ref FoundAt, keys.Length);
        model.AddScores(keys, perPosition, emissions, Found, FoundAt);
    }

    /// <summary>Room for <paramref name="size"/> items; the content is not kept when the array grows.</summary>
    public static void Ensure<T>(ref T[] array, int size)
    {
        if (array.Length < size) array = new T[Math.Max(size, array.Length * 2)];
    }
}

/// <summary>
/// Texts tagged together (see <c>LexicalAnalyzer.Analyze(IReadOnlyList&lt;string&gt;)</c>): per text, its words laid end
/// to end without whitespace, normalized, with their starts and hashes, and room for their tags and entity labels.
/// Grown as needed and reused.
/// </summary>
public sealed class TagBatch
{
    private char[] _chars = new char[1024];
    private int[] _starts = new int[512];
    private ulong[] _hashes = new ulong[512];
    private int[] _forced = new int[512];
    private int[] _tags = new int[512];
    private int[] _entityLabels = new int[512];
    private readonly List<(int CharAt, int CharCount, int WordAt, int WordCount)> _texts = [];
    private int _charCount, _wordCount;

    /// <summary>Unlike <see cref="Workspace.Ensure"/>, keeps what the texts added so far wrote.</summary>
    private static void Grow<T>(ref T[] array, int size)
    {
        if (array.Length < size) Array.Resize(ref array, Math.Max(size, array.Length * 2));
    }

    public void Reset()
    {
        _texts.Clear();
        _charCount = _wordCount = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Add(string text, ReadOnlySpan<Corpus.Word> words)
    {
        int chars = 0;
        foreach (var w in words) chars += w.Text.Length;
        // One slot more per text for the end of its last word.
        Grow(ref _chars, _charCount + chars);
        Grow(ref _starts, _wordCount + _texts.Count + words.Length + 1);
        Grow(ref _hashes, _wordCount + words.Length);
        Grow(ref _forced, _wordCount + words.Length);
        Grow(ref _tags, _wordCount + words.Length);
        Grow(ref _entityLabels, _wordCount + words.Length);
        int at = 0;
        var compact = _chars.AsSpan(_charCount, chars);
        var starts = _starts.AsSpan(_wordCount + _texts.Count, words.Length + 1);
        for (int k = 0; k < words.Length; k++)
        {
            var word = words[k].Text;
            starts[k] = at;
            for (int j = 0; j < word.Length; j++) compact[at + j] = Text.CharClassifier.Normalize(word[j]);
            _hashes[_wordCount + k] = Features.FeatureKey.OfText(compact.Slice(at, word.Length));
            at += word.Length;
        }
        starts[words.Length] = at;
        _texts.Add((_charCount, chars, _wordCount, words.Length));
        _charCount += chars;
        _wordCount += words.Length;
    }

    /// <summary>Text <paramref name="t"/> of the batch, in the order added.</summary>
    public BatchText Of(int t)
    {
        var (charAt, charCount, wordAt, wordCount) = _texts[t];
        return new BatchText(_chars.AsSpan(charAt, charCount), _starts.AsSpan(wordAt + t, wordCount + 1),
            _hashes.AsSpan(wordAt, wordCount), _forced.AsSpan(wordAt, wordCount), _tags.AsSpan(wordAt, wordCount));
    }

    public Span<int> EntityLabelsOf(int t)
    {
        var (_, _, wordAt, wordCount) = _texts[t];
        return _entityLabels.AsSpan(wordAt, wordCount);
    }
}

/// <summary>One text of a <see cref="TagBatch"/>: its normalized characters, word starts (plus the end), word hashes,
/// and its forced tags and tags to fill.</summary>
public readonly ref struct BatchText(Span<char> chars, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, Span<int> forced, Span<int> tags)
{
    public Span<char> Chars { get; } = chars;
    public ReadOnlySpan<int> Starts { get; } = starts;
    public ReadOnlySpan<ulong> Hashes { get; } = hashes;
    public Span<int> Forced { get; } = forced;
    public Span<int> Tags { get; } = tags;

    public void Deconstruct(out Span<char> chars, out ReadOnlySpan<int> starts, out ReadOnlySpan<ulong> hashes, out Span<int> forced, out Span<int> tags)
    {
        chars = Chars;
        starts = Starts;
        hashes = Hashes;
        forced = Forced;
        tags = Tags;
    }
}
