using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;
using HanLex.Text;

namespace HanLex.Tagging;

/// <summary>
/// The segmentation model and its lexicon compiled for decoding. Every template of <see cref="CharFeatures"/> becomes
/// a table indexed by the characters themselves, so no feature key is built and most scores come from dense arrays:
/// <list type="bullet">
/// <item>a character's unigram weights at all five window offsets form one block of one cache line (six labels),
/// found through a 64K-entry index;</item>
/// <item>an adjacent pair's bigram weights at all four offsets form one block in a hash table whose slot also says
/// whether the pair is a lexicon word or begins one, so lexicon matching starts with the lookup scoring needs anyway;</item>
/// <item>the class-trigram and lexicon-length templates are dense over their few values.</item>
/// </list>
/// Scores of a position are summed in one 256-bit register and fed straight into a Viterbi step that visits only the
/// label pairs the grammar allows. Rows are <c>L</c> weights apart and read eight at a time; the lanes past <c>L</c>
/// carry neighbouring weights and are never read back. The unigram, bigram and skip-bigram rows, the largest tables, stay
/// in half precision like the model's entries (<see cref="HalfPrecision"/>): half the memory, 1.1–1.2× the speed for
/// the pairs; the unigram blocks, aligned, then take one cache line instead of two or three. Built once at load;
/// read-only and thread-safe.
/// </summary>
internal sealed class SegmentationKernel
{
    private const int Lanes = 8;
    internal const int UnigramSlots = 5, BigramSlots = 4, ClassCount = (int)CharClass.Boundary + 1;
    internal const int LengthValues = WordLexicon.MaxLength + 1;
    internal const int IsWord = 1, IsPrefix = 2;

    private readonly int L;
    private readonly float[] _bias;
    private readonly int[] _charBlock = new int[65536]; // char → offset of its unigram block (0: none, reads zeros)
    private readonly ushort[] _unigrams;                 // half precision, a block of UnigramStride a character, cache-line aligned
    private readonly PairMap _pairs;                     // pair → bigram block << 2 | lexicon flags
    private readonly ushort[] _bigrams;                  // half precision, as the model's entries, a block of BigramStride a pair, cache-line aligned
    private readonly PairMap _skips;                     // (previous, next) around a position → row
    private readonly ushort[] _skipRows;                 // half precision, a row of Lanes a skip pair, aligned: one 16-byte read
    private readonly float[] _classRows;                 // class trigram, dense
    private readonly float[] _lexiconRows;               // begin, end and (begin, end, middle) lengths, dense
    private readonly PairMap _lexiconChars;              // lexicon lengths × character → row
    private readonly float[] _rows;                      // lexicon-character rows, a whole 32-byte read each, aligned
    private readonly float[] _classFiveGramRows;
    private readonly KeyMap? _prefixes;                  // rolling hashes of lexicon prefixes of 3+ characters → flags
    private readonly int[] _classFiveGrams = new int[ClassCount * ClassCount * ClassCount * ClassCount * ClassCount]; // → row
    private readonly Vector256<float> _start;            // transitions from the sentence start; −∞ where not allowed
    private readonly Steps _predecessors, _successors;   // the steps the grammar allows, for the forward and backward passes
    private readonly Vector256<float> _endsWord, _insideWord; // all bits set in the lanes of labels that end a word / do not
    private readonly Vector256<float>[] _allowedMasks;  // by bitmask of allowed labels: 0 or −∞ per lane
    private readonly Vector256<float> _lastMask;

    /// <summary>Whether <paramref name="model"/> can be compiled: plain weights (no learned overlay), at most eight labels.</summary>
    public static bool Supports(LinearModel model) => model.Overlay is null && model.Labels.Count <= Lanes;

    // Not compiled fully optimized itself: its loops over every weight are the methods it calls, kept small because
    // compiling them is on the load's critical path.
    public SegmentationKernel(LinearModel model, WordLexicon? lexicon)
    {
        if (!Supports(model)) throw new ArgumentException("model has an overlay or more than eight labels", nameof(model));
        L = model.Labels.Count;
        var keys = model.Keys;

        // Own open-addressing maps, not Dictionary: this runs at every load, where generic code starts unoptimized.
        // Pairs and skip pairs are numbered in key order, lexicon keys as met; pass 2 is led by each row's number.
        var rowIds = new int[keys.Length];
        var pairs = KernelMaps.NumberPairs(keys, CharFeatures.BigramP1C, CharFeatures.BigramN1N2, rowIds);
        var skips = KernelMaps.NumberPairs(keys, SkipBigram, SkipBigram, rowIds);
        var keyedIds = new PairMap(1024);
        var keyed = new List<uint> { 0 };
        int charCount = NumberRows(keys, L, _charBlock, rowIds, keyedIds, keyed);
        int pairCount = pairs.Length - 1, skipCount = skips.Length - 1, keyedCount = keyed.Count - 1;
        _bias = new float[Lanes];
        _unigrams = Tables.ZeroedAligned<ushort>((charCount + 1) * UnigramStride(L), out int firstBlock);
        PlaceBlocks(_charBlock, firstBlock, UnigramStride(L));
        _bigrams = Tables.ZeroedAligned<ushort>((pairCount + 1) * BigramStride, out int firstPair);
        _skipRows = Tables.ZeroedAligned<ushort>((skipCount + 1) * Lanes, out int firstSkip);
        _rows = Tables.ZeroedAligned<float>((keyedCount + 1) * Lanes, out int firstRow);
        int fiveGrams = NumberClassFiveGrams(keys, L, _classFiveGrams);
        _classFiveGramRows = new float[(fiveGrams + 1) * L + Lanes];
        _classRows = new float[ClassCount * ClassCount * ClassCount * L + Lanes];
        var begin = new float[LengthValues * L];
        var end = new float[LengthValues * L];
        var lengths = new float[LengthValues * LengthValues * LengthValues * L];
        CopyWeights(model, rowIds, firstPair, firstSkip, firstRow, begin, end, lengths);
        var pairBlocks = KernelMaps.Build(pairs, id => firstPair + id * BigramStride << 2);
        // A position's lexicon rows summed once per (begin, end, middle); a length of 0 (no word) has no feature.
        _lexiconRows = new float[lengths.Length + Lanes];
        if (lexicon is not null)
        {
            for (int bl = 0; bl < LengthValues; bl++)
                for (int el = 0; el < LengthValues; el++)
                    for (int ml = 0; ml < LengthValues; ml++)
                    {
                        int at = ((bl * LengthValues + el) * LengthValues + ml) * L;
                        for (int y = 0; y < L; y++)
                            _lexiconRows[at + y] = lengths[at + y] + (bl > 0 ? begin[bl * L + y] : 0) + (el > 0 ? end[el * L + y] : 0);
                    }
            _prefixes = IndexLexicon(lexicon, pairBlocks);
        }
        // Rebuilt at their final size: a table twice its entries keeps probes short and no larger than needed.
        _pairs = pairBlocks.Compacted();
        _skips = KernelMaps.Build(skips, id => firstSkip + id * Lanes);
        _lexiconChars = KernelMaps.Build(CollectionsMarshal.AsSpan(keyed), id => firstRow + id * Lanes);
        _hasLexicon = lexicon is not null;
        (_start, _allowedMasks, _lastMask) = Masks(model, L);
        (_endsWord, _insideWord) = WordEnds(L);
        _predecessors = new Steps(model.EffectiveTransitions, L, forward: true);
        _successors = new Steps(model.EffectiveTransitions, L, forward: false);
    }

    /// <summary>Pass 1: numbers the characters and lexicon keys (from 1) that have weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every weight: no slow first tier
    private static int NumberRows(ulong[] keys, int L, int[] charBlock, int[] rowIds, PairMap keyedIds, List<uint> keyed)
    {
        int charCount = 0;
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            switch ((int)(key >> 56))
            {
                case >= CharFeatures.Unigram0 and <= CharFeatures.UnigramN2:
                    char a = (char)(key >> 32);
                    if (charBlock[a] == 0) charBlock[a] = ++charCount;
                    break;
                case MiddleChar or BeginEndChar:
                    rowIds[r] = KernelMaps.Number(keyedIds, keyed, LexiconCharKey(key));
                    break;
            }
        }
        return charCount;
    }

    /// <summary>Halves a character's unigram block takes: its five rows, and the lanes the last one's read runs past
    /// them, rounded up to whole 64-byte cache lines (one line for six labels).</summary>
    private static int UnigramStride(int L) => ((UnigramSlots - 1) * L + Lanes + 31) / 32 * 32;

    /// <summary>Halves a pair's bigram block takes: its four rows and the lanes the last one's read runs past them fit
    /// one 64-byte cache line for up to eight labels. Packed at 4 × L instead, three blocks in four straddled two lines.</summary>
    private const int BigramStride = 32;

    /// <summary>Turns the characters' block numbers into offsets in the aligned unigram table (0 stays 0: no weights,
    /// read from the zeros before the first block).</summary>
    internal static void PlaceBlocks(int[] charBlock, int first, int stride)
    {
        for (int c = 0; c < charBlock.Length; c++)
            if (charBlock[c] != 0) charBlock[c] = first + charBlock[c] * stride;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NumberClassFiveGrams(ulong[] keys, int L, int[] classFiveGrams)
    {
        int fiveGrams = 0;
        for (int r = 0; r < keys.Length; r++)
        {
            if ((int)(keys[r] >> 56) != ClassFiveGram) continue;
            char a = (char)(keys[r] >> 32), b = (char)(keys[r] >> 16), c = (char)keys[r];
            classFiveGrams[ClassFiveGramIndex(a >> 8, a & 0xFF, b, c >> 8, c & 0xFF)] = ++fiveGrams * L;
        }
        return fiveGrams;
    }

    /// <summary>Pass 2: copies each row's weights to where decoding reads them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyWeights(LinearModel model, int[] rowIds, int firstPair, int firstSkip, int firstRow, float[] begin, float[] end, float[] lengths)
    {
        var keys = model.Keys;
        var rowStart = model.RowStart;
        var entries = model.Entries;
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            int template = (int)(key >> 56);
            // The half-precision tables take the stored bits as they are.
            if (template == SkipBigram)
            {
                int s0 = firstSkip + rowIds[r] * Lanes;
                foreach (var e in entries[rowStart[r]..rowStart[r + 1]]) _skipRows[s0 + e.Label] = e.WeightBits;
                continue;
            }
            if (template is >= CharFeatures.BigramP1C and <= CharFeatures.BigramN1N2)
            {
                int b0 = firstPair + rowIds[r] * BigramStride + BigramSlot(template) * L;
                foreach (var e in entries[rowStart[r]..rowStart[r + 1]]) _bigrams[b0 + e.Label] = e.WeightBits;
                continue;
            }
            char a = (char)(key >> 32), b = (char)(key >> 16), c = (char)key;
            if (template is >= CharFeatures.Unigram0 and <= CharFeatures.UnigramN2)
            {
                int u0 = _charBlock[a] + UnigramSlot(template) * L;
                foreach (var e in entries[rowStart[r]..rowStart[r + 1]]) _unigrams[u0 + e.Label] = e.WeightBits;
                continue;
            }
            (float[]? target, int at) = template switch
            {
                1 => (_bias, 0),
                ClassTrigram => (_classRows, ((a * ClassCount + b) * ClassCount + c) * L),
                BeginLength => (begin, a * L),
                EndLength => (end, a * L),
                AllLengths => (lengths, ((a * LengthValues + b) * LengthValues + c) * L),
                MiddleChar or BeginEndChar => (_rows, firstRow + rowIds[r] * Lanes),
                ClassFiveGram => (_classFiveGramRows, _classFiveGrams[ClassFiveGramIndex(a >> 8, a & 0xFF, b, c >> 8, c & 0xFF)]),
                _ => (null, 0),
            };
            if (target is null) continue;
            foreach (var e in entries[rowStart[r]..rowStart[r + 1]]) target[at + e.Label] = e.Weight;
        }
    }

    /// <summary>The lexicon: two-character words and prefixes are flags on the pair table, longer prefixes rolling hashes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KeyMap IndexLexicon(WordLexicon lexicon, PairMap pairBlocks)
    {
        var prefixes = new KeyMap(1024);
        foreach (var word in lexicon.Words)
        {
            pairBlocks.Or((uint)word[0] << 16 | word[1], word.Length == 2 ? IsWord : IsPrefix);
            ulong h = WordLexicon.Step(WordLexicon.Step(WordLexicon.Seed, word[0]), word[1]);
            for (int i = 2; i < word.Length; i++)
            {
                h = WordLexicon.Step(h, word[i]);
                prefixes.Or(h, i == word.Length - 1 ? IsWord : IsPrefix);
            }
        }
        return prefixes.Compacted();
    }

    /// <summary>The transitions from the sentence start and the label masks as 256-bit rows.</summary>
    private static (Vector256<float> Start, Vector256<float>[] AllowedMasks, Vector256<float> LastMask) Masks(LinearModel model, int L)
    {
        // Arrays, not stackalloc, and short loops: this runs once per load, where a method with stackalloc or a long
        // loop is compiled fully optimized at once, which costs more than running it unoptimized.
        var lanes = new float[Lanes];
        Array.Fill(lanes, float.NegativeInfinity);
        Array.Copy(model.EffectiveTransitions, L * L, lanes, 0, L);
        var start = Vector256.Create(lanes);
        var allowedMasks = new Vector256<float>[1 << Lanes];
        var bits = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
        for (int mask = 0; mask < allowedMasks.Length; mask++)
            allowedMasks[mask] = Vector256.ConditionalSelect(Vector256.Equals(Vector256.Create(mask) & bits, Vector256<int>.Zero).AsSingle(),
                Vector256.Create(float.NegativeInfinity), Vector256<float>.Zero);
        for (int y = 0; y < Lanes; y++) lanes[y] = y < L && model.Labels.AllowedLast[y] ? 0 : float.NegativeInfinity;
        return (start, allowedMasks, Vector256.Create(lanes));
    }

    /// <summary>Which lanes end a word, for <see cref="Margins"/>.</summary>
    private static (Vector256<float> Ends, Vector256<float> Inside) WordEnds(int L)
    {
        int[] ends = new int[Lanes], inside = new int[Lanes];
        for (int y = 0; y < L; y++) (WordLabels.EndsWord(y) ? ends : inside)[y] = -1;
        return (Vector256.Create(ends).AsSingle(), Vector256.Create(inside).AsSingle());
    }

    /// <summary>
    /// The label pairs a Viterbi step can take, lane by lane: step k pairs each label y with its k-th allowed
    /// predecessor (forward) or successor (backward), in ascending order, and that transition's weight, −∞ past the
    /// last. Word positions allow at most four predecessors (of E) and two successors, so a step visits those rather
    /// than all six labels: a permutation each.
    /// </summary>
    private sealed class Steps
    {
        public readonly Vector256<int>[] Other;
        public readonly Vector256<float>[] Weight;

        public Steps(float[] transitions, int L, bool forward)
        {
            // Arrays and short loops, not stackalloc: see Masks.
            var count = new int[Lanes];
            var other = new int[L * Lanes];
            var weight = new float[L * Lanes];
            Array.Fill(weight, float.NegativeInfinity);
            int steps = 0;
            for (int y = 0; y < L; y++)
                for (int o = 0; o < L; o++)
                {
                    float t = forward ? transitions[o * L + y] : transitions[y * L + o];
                    if (float.IsNegativeInfinity(t)) continue;
                    int k = count[y]++;
                    other[k * Lanes + y] = o;
                    weight[k * Lanes + y] = t;
                    steps = Math.Max(steps, k + 1);
                }
            Other = new Vector256<int>[steps];
            Weight = new Vector256<float>[steps];
            for (int k = 0; k < steps; k++)
            {
                Other[k] = Vector256.Create(other, k * Lanes);
                Weight[k] = Vector256.Create(weight, k * Lanes);
            }
        }
    }

    /// <summary>Lane <c>other[y]</c> of <paramref name="v"/> in each lane y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Gather(Vector256<float> v, Vector256<int> other) =>
        Avx2.IsSupported ? Avx2.PermuteVar8x32(v, other) : Vector256.Shuffle(v, other);

    internal static int ClassFiveGramIndex(int p2, int p1, int c, int n1, int n2) =>
        (((p2 * ClassCount + p1) * ClassCount + c) * ClassCount + n1) * ClassCount + n2;

    private readonly bool _hasLexicon;

    // Template ids of CharFeatures.Extract (the numbers passed to FeatureKey.Chars there).
    internal const int SkipBigram = 11, ClassTrigram = 13, BeginLength = 14, EndLength = 15, MiddleChar = 16,
        ClassFiveGram = 17, BeginEndChar = 18, AllLengths = 19;

    internal static uint PairOf(ulong key) => (uint)(key >> 16);

    /// <summary>
    /// Templates 16 (middle length, character) and 18 (begin and end lengths, character) packed in 32 bits: lengths
    /// fit in four bits each.
    /// </summary>
    internal static uint LexiconCharKey(ulong key)
    {
        int template = (int)(key >> 56);
        char a = (char)(key >> 32), b = (char)(key >> 16), c = (char)key;
        return template == MiddleChar ? MiddleCharKey(a, b) : BeginEndCharKey(a, b, c);
    }

    internal static uint MiddleCharKey(int middle, char c) => 1u << 24 | (uint)middle << 16 | c;

    internal static uint BeginEndCharKey(int begin, int end, char c) => 2u << 24 | (uint)begin << 20 | (uint)end << 16 | c;

    internal static uint Pair(char a, char b) => (uint)a << 16 | b;

    /// <summary>Slot of a unigram template in its character's block: the target position minus the character's, plus 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int UnigramSlot(int template) => template switch
    {
        CharFeatures.Unigram0 => 2,
        CharFeatures.UnigramP1 => 3, // the previous character scores the position after it
        CharFeatures.UnigramN1 => 1,
        CharFeatures.UnigramP2 => 4,
        _ => 0,
    };

    /// <summary>Slot of a bigram template in its pair's block: the target position minus the pair's first, plus 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int BigramSlot(int template) => template switch
    {
        CharFeatures.BigramP1C => 2,
        CharFeatures.BigramCN1 => 1,
        CharFeatures.BigramP2P1 => 3,
        _ => 0,
    };

    /// <summary>Labels <paramref name="chars"/> (normalized) as <see cref="Segmenter.Label"/> does.</summary>
    /// <param name="margins">When not empty, receives per character how far the best labelling is from the best one
    /// that decides its word boundary the other way (max-marginals): where a cascade sends text to a stronger model.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws, Span<float> margins = default)
    {
        int n = chars.Length;
        if (n == 0) return;
        Workspace.Ensure(ref ws.Back, n * Lanes);
        if (!margins.IsEmpty)
        {
            Workspace.Ensure(ref ws.Forward, n * Lanes);
            Workspace.Ensure(ref ws.Emitted, n * Lanes);
        }
        var padded = Prepare(chars, ws);
        FindBlocksAndClasses(padded, _charBlock, ws);
        foreach (int block in ws.Blocks.AsSpan(0, n + 4)) Prefetch(_unigrams, block, 1);

        // Hash lookups first, all prefetched, so their cache misses overlap.
        var pairs = ws.Pairs.AsSpan(0, n + 3);
        var skips = ws.Skips.AsSpan(0, n);
        for (int j = 0; j < n + 3; j++) _pairs.Prefetch(Pair(padded[j], padded[j + 1]));
        for (int i = 0; i < n; i++) _skips.Prefetch(Pair(padded[i + 1], padded[i + 3]));
        // Then the rows they lead to, which miss the cache as often.
        for (int j = 0; j < n + 3; j++)
        {
            int value = pairs[j] = _pairs.Find(Pair(padded[j], padded[j + 1]));
            Prefetch(_bigrams, value >> 2, 1);
        }
        if (_hasLexicon) PrefetchWalks(chars, pairs, _prefixes!);
        for (int i = 0; i < n; i++) Prefetch(_skipRows, skips[i] = _skips.Find(Pair(padded[i + 1], padded[i + 3])), 1);
        var matches = ws.Lexicon.AsSpan(0, n);
        var lexiconChars = ws.LexiconChars.AsSpan(0, 2 * n);
        if (_hasLexicon)
        {
            MatchLexicon(chars, pairs, matches, _prefixes!, classMask: 0);
            FindLexiconChars(chars, matches, _lexiconChars, _rows, 1, lexiconChars);
        }
        Decode(pairs, skips, matches, lexiconChars, allowed, labels, ws, keep: !margins.IsEmpty);
        if (!margins.IsEmpty) Margins(n, ws.Forward, ws.Emitted, margins);
    }

    /// <summary>
    /// Max-marginals from the forward scores and emissions <see cref="Decode"/> kept: a backward pass gives each position's
    /// best continuation per label; a margin is the gap between the best path ending a word there and the best not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Margins(int n, float[] forward, float[] emitted, Span<float> margins)
    {
        var successors = _successors.Other;
        var weights = _successors.Weight;
        var negativeInfinity = Vector256.Create(float.NegativeInfinity);
        var backward = Vector256<float>.Zero; // nothing follows the last position
        for (int i = n - 1; i >= 0; i--)
        {
            var total = Vector256.LoadUnsafe(ref forward[i * Lanes]) + backward;
            // Lanes 0–3: the best over labels ending a word; lanes 4–7: over the others.
            var ends = Vectors.Select(_endsWord, total, negativeInfinity);
            var inside = Vectors.Select(_insideWord, total, negativeInfinity);
            var m = Vector256.Create(Vectors.Max(ends.GetLower(), ends.GetUpper()), Vectors.Max(inside.GetLower(), inside.GetUpper()));
            m = Vectors.Max(m, Avx.IsSupported ? Avx.Permute(m, 0b01_00_11_10) : Vector256.Shuffle(m, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
            m = Vectors.Max(m, Avx.IsSupported ? Avx.Permute(m, 0b10_11_00_01) : Vector256.Shuffle(m, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
            margins[i] = MathF.Abs(m.ToScalar() - m.GetElement(4));
            if (i == 0) break;
            // Best continuation of each label at i − 1 (every lane at once): through some label z at i, its emission
            // and what follows.
            var through = Vector256.LoadUnsafe(ref emitted[i * Lanes]) + backward;
            var next = negativeInfinity;
            for (int k = 0; k < successors.Length; k++) next = Vectors.Max(next, Gather(through, successors[k]) + weights[k]);
            backward = next;
        }
    }

    /// <summary>
    /// The sentence padded with two boundary characters each side (<c>padded[j + 2]</c> is character j), in the
    /// workspace, with room there for the per-position tables a kernel fills.
    /// </summary>
    internal static Span<char> Prepare(ReadOnlySpan<char> chars, Workspace ws) => Prepare(chars, 0, chars.Length, ws);

    /// <summary>Characters from..to of <paramref name="sentence"/> padded as <see cref="Prepare(ReadOnlySpan{char}, Workspace)"/>
    /// pads a sentence, with the sentence's own characters where it has them.</summary>
    internal static Span<char> Prepare(ReadOnlySpan<char> sentence, int from, int to, Workspace ws)
    {
        var chars = sentence[from..to];
        int n = chars.Length;
        Workspace.Ensure(ref ws.Pairs, n + 3);
        Workspace.Ensure(ref ws.Skips, n);
        Workspace.Ensure(ref ws.Padded, n + 4);
        Workspace.Ensure(ref ws.Lexicon, n);
        Workspace.Ensure(ref ws.LexiconChars, 2 * n);
        var padded = ws.Padded.AsSpan(0, n + 4);
        padded[0] = from >= 2 ? sentence[from - 2] : CharFeatures.Bos;
        padded[1] = from >= 1 ? sentence[from - 1] : CharFeatures.Bos;
        chars.CopyTo(padded[2..]);
        padded[n + 2] = to < sentence.Length ? sentence[to] : CharFeatures.Eos;
        padded[n + 3] = to + 1 < sentence.Length ? sentence[to + 1] : CharFeatures.Eos;
        return padded;
    }

    /// <summary>Each padded character's unigram block (<paramref name="charBlock"/>) and class, into the workspace's
    /// <see cref="Workspace.Blocks"/> and <see cref="Workspace.Classes"/>: looked up once, where five positions read them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal static void FindBlocksAndClasses(ReadOnlySpan<char> padded, int[] charBlock, Workspace ws)
    {
        Workspace.Ensure(ref ws.Blocks, padded.Length);
        Workspace.Ensure(ref ws.Classes, padded.Length);
        var blocks = ws.Blocks.AsSpan(0, padded.Length);
        var classes = ws.Classes.AsSpan(0, padded.Length);
        for (int j = 0; j < padded.Length; j++)
        {
            blocks[j] = charBlock[padded[j]];
            classes[j] = (byte)Class(padded[j]);
        }
    }

    /// <summary>The first probe of each walk through lexicon words of three characters or more (<see cref="MatchLexicon"/>),
    /// asked for a step ahead of matching; <paramref name="pairs"/> as there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PrefetchWalks(ReadOnlySpan<char> chars, ReadOnlySpan<int> pairs, KeyMap prefixes)
    {
        for (int i = 0; i + 2 < chars.Length; i++)
            if ((pairs[i + 2] & IsPrefix) != 0)
                prefixes.Prefetch(WordLexicon.Step(WordLexicon.Step(WordLexicon.Step(WordLexicon.Seed, chars[i]), chars[i + 1]), chars[i + 2]));
    }

    /// <summary>
    /// The longest lexicon words beginning at, ending at and covering each position, as <see cref="WordLexicon.Match"/>:
    /// two-character words and prefixes are flags in the low bits of the pair table's values (<c>pairs[i + 2]</c> is the
    /// pair starting at character i), longer ones in <paramref name="prefixes"/>. A word's class, where the tables keep
    /// one, is the six bits above the flags (<paramref name="classMask"/> 0x3F; 0 where those bits mean something else).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal static void MatchLexicon(ReadOnlySpan<char> chars, ReadOnlySpan<int> pairs, Span<LexiconMatch> matches, KeyMap prefixes, int classMask)
    {
        int n = chars.Length;
        matches.Clear();
        for (int i = 0; i + 1 < n; i++)
        {
            int value = pairs[i + 2];
            if ((value & (IsWord | IsPrefix)) == 0) continue;
            if ((value & IsWord) != 0) Record(matches, i, 2, value >> 2 & classMask);
            if ((value & IsPrefix) == 0) continue;
            ulong h = WordLexicon.Step(WordLexicon.Step(WordLexicon.Seed, chars[i]), chars[i + 1]);
            int max = Math.Min(WordLexicon.MaxLength, n - i);
            for (int len = 3; len <= max; len++)
            {
                h = WordLexicon.Step(h, chars[i + len - 1]);
                int f = prefixes.Find(h);
                if ((f & IsWord) != 0) Record(matches, i, len, f >> 2 & classMask);
                if ((f & IsPrefix) == 0) break;
            }
        }
    }

    /// <summary>
    /// Each position's two lexicon-character rows (<see cref="BeginEndCharKey"/> and <see cref="MiddleCharKey"/>, 0 where
    /// none), found in <paramref name="map"/>: every slot asked for first, then each found and the first
    /// <paramref name="rowLength"/> elements of its row in <paramref name="rows"/> asked for (<see cref="Prefetch"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FindLexiconChars<T>(ReadOnlySpan<char> chars, ReadOnlySpan<LexiconMatch> matches, PairMap map, T[] rows, int rowLength,
        Span<int> found) where T : unmanaged
    {
        for (int i = 0; i < chars.Length; i++)
        {
            var m = matches[i];
            map.Prefetch(BeginEndCharKey(m.Begin, m.End, chars[i]));
            if (m.Middle > 0) map.Prefetch(MiddleCharKey(m.Middle, chars[i]));
        }
        for (int i = 0; i < chars.Length; i++)
        {
            var m = matches[i];
            Prefetch(rows, found[2 * i] = map.Find(BeginEndCharKey(m.Begin, m.End, chars[i])), rowLength);
            Prefetch(rows, found[2 * i + 1] = m.Middle > 0 ? map.Find(MiddleCharKey(m.Middle, chars[i])) : 0, rowLength);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static void Record(Span<LexiconMatch> matches, int start, int length, int wordClass)
    {
        byte l = (byte)length;
        matches[start].Begin = l; // lengths grow, so the last match is the longest
        matches[start].BeginClass = (byte)wordClass;
        int end = start + length - 1;
        if (matches[end].End < l)
        {
            matches[end].End = l;
            matches[end].EndClass = (byte)wordClass;
        }
        for (int j = start + 1; j < end; j++) if (matches[j].Middle < l) matches[j].Middle = l;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private void Decode(ReadOnlySpan<int> pairs, ReadOnlySpan<int> skips, ReadOnlySpan<LexiconMatch> matches,
        ReadOnlySpan<int> lexiconChars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws, bool keep)
    {
        int n = labels.Length;
        // Every table and row below is read through refs: the spans' bounds checks, and the registers they took, had
        // been a third of this loop's instructions. Lengths as Label ensured them: blocks and classes n + 4, pairs n + 3,
        // skips and matches n, lexicon characters 2n, allowed n or none, back pointers and kept rows n × Lanes.
        ref int blocks = ref MemoryMarshal.GetArrayDataReference(ws.Blocks); // found by FindBlocksAndClasses
        ref byte classes = ref MemoryMarshal.GetArrayDataReference(ws.Classes);
        ref int pairAt = ref MemoryMarshal.GetReference(pairs);
        ref int skipAt = ref MemoryMarshal.GetReference(skips);
        ref LexiconMatch match = ref MemoryMarshal.GetReference(matches);
        ref int lexiconCharAt = ref MemoryMarshal.GetReference(lexiconChars);
        ref ulong allowedAt = ref MemoryMarshal.GetReference(allowed);
        bool constrained = !allowed.IsEmpty, hasLexicon = _hasLexicon;
        ref float emitted = ref MemoryMarshal.GetArrayDataReference(ws.Emitted);
        ref float forward = ref MemoryMarshal.GetArrayDataReference(ws.Forward);
        ref ushort unigrams = ref MemoryMarshal.GetArrayDataReference(_unigrams);
        ref ushort bigrams = ref MemoryMarshal.GetArrayDataReference(_bigrams);
        ref ushort skipRows = ref MemoryMarshal.GetArrayDataReference(_skipRows);
        ref float classRows = ref MemoryMarshal.GetArrayDataReference(_classRows);
        ref float fiveGramRows = ref MemoryMarshal.GetArrayDataReference(_classFiveGramRows);
        ref float lexiconRows = ref MemoryMarshal.GetArrayDataReference(_lexiconRows);
        ref float rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref int fiveGrams = ref MemoryMarshal.GetArrayDataReference(_classFiveGrams);
        ref int backRef = ref MemoryMarshal.GetArrayDataReference(ws.Back);
        ref Vector256<int> predecessors = ref MemoryMarshal.GetArrayDataReference(_predecessors.Other);
        ref Vector256<float> weights = ref MemoryMarshal.GetArrayDataReference(_predecessors.Weight);
        int steps = _predecessors.Other.Length;
        var bias = Vector256.Create(_bias);
        var negativeInfinity = Vector256.Create(float.NegativeInfinity);
        int L = this.L;
        nuint L1 = (nuint)L, L2 = 2 * L1, L3 = 3 * L1, L4 = 4 * L1;
        var prev = Vector256<float>.Zero;
        for (int i = 0; i < n; i++)
        {
            // Padded index of character i is i + 2; each offset's row sits at its slot in the block.
            ref int block = ref Unsafe.Add(ref blocks, i);
            var v = bias;
            v = HalfPrecision.AddLoad8(v, ref unigrams, (nuint)block + L4);
            v = HalfPrecision.AddLoad8(v, ref unigrams, (nuint)Unsafe.Add(ref block, 1) + L3);
            v = HalfPrecision.AddLoad8(v, ref unigrams, (nuint)Unsafe.Add(ref block, 2) + L2);
            v = HalfPrecision.AddLoad8(v, ref unigrams, (nuint)Unsafe.Add(ref block, 3) + L1);
            v = HalfPrecision.AddLoad8(v, ref unigrams, (nuint)Unsafe.Add(ref block, 4));
            // Pairs starting at characters i-2 .. i+1 are pairs[i .. i+3].
            ref int pair = ref Unsafe.Add(ref pairAt, i);
            v = HalfPrecision.AddLoad8(v, ref bigrams, (nuint)(pair >> 2) + L3);
            v = HalfPrecision.AddLoad8(v, ref bigrams, (nuint)(Unsafe.Add(ref pair, 1) >> 2) + L2);
            v = HalfPrecision.AddLoad8(v, ref bigrams, (nuint)(Unsafe.Add(ref pair, 2) >> 2) + L1);
            v = HalfPrecision.AddLoad8(v, ref bigrams, (nuint)(Unsafe.Add(ref pair, 3) >> 2));
            v = HalfPrecision.AddLoad8(v, ref skipRows, (nuint)Unsafe.Add(ref skipAt, i));
            ref byte c = ref Unsafe.Add(ref classes, i);
            int cp2 = c, cp1 = Unsafe.Add(ref c, 1), cc = Unsafe.Add(ref c, 2), cn1 = Unsafe.Add(ref c, 3), cn2 = Unsafe.Add(ref c, 4);
            v += Vector256.LoadUnsafe(ref classRows, (nuint)((cp1 * ClassCount + cc) * ClassCount + cn1) * L1);
            v += Vector256.LoadUnsafe(ref fiveGramRows, (nuint)Unsafe.Add(ref fiveGrams, ClassFiveGramIndex(cp2, cp1, cc, cn1, cn2)));
            if (hasLexicon)
            {
                var m = Unsafe.Add(ref match, i);
                v += Vector256.LoadUnsafe(ref lexiconRows, (nuint)((m.Begin * LengthValues + m.End) * LengthValues + m.Middle) * L1);
                v += Vector256.LoadUnsafe(ref rows, (nuint)Unsafe.Add(ref lexiconCharAt, 2 * i));
                v += Vector256.LoadUnsafe(ref rows, (nuint)Unsafe.Add(ref lexiconCharAt, 2 * i + 1));
            }
            if (i == n - 1) v += _lastMask;
            if (constrained && Unsafe.Add(ref allowedAt, i) != 0) v += _allowedMasks[(int)(Unsafe.Add(ref allowedAt, i) & 0xFF)];
            nuint at = (nuint)i * Lanes;
            if (keep) v.StoreUnsafe(ref emitted, at);
            if (i == 0)
            {
                prev = v + _start;
                if (keep) prev.StoreUnsafe(ref forward);
                continue;
            }
            // For every next label at once: the best previous label, the first one on ties as in the generic decoder.
            var best = negativeInfinity;
            var arg = Vector256<int>.Zero;
            for (int k = 0; k < steps; k++)
            {
                var from = Unsafe.Add(ref predecessors, k);
                var s = Gather(prev, from) + Unsafe.Add(ref weights, k);
                var better = Vector256.GreaterThan(s, best);
                best = Vectors.Max(s, best);
                arg = Vectors.Select(better, from, arg);
            }
            // A ruled-out label points back at label 0, as the generic decoder has it.
            arg = Vectors.Select(Vector256.Equals(v, negativeInfinity), Vector256<int>.Zero, arg);
            arg.StoreUnsafe(ref backRef, at);
            prev = best + v;
            if (keep) prev.StoreUnsafe(ref forward, at);
        }
        float top = float.NegativeInfinity;
        int last = 0;
        for (int y = 0; y < L; y++)
            if (prev.GetElement(y) > top) { top = prev.GetElement(y); last = y; }
        labels[n - 1] = last;
        for (int i = n - 1; i > 0; i--) labels[i - 1] = ws.Back[i * Lanes + labels[i]];
    }

    /// <summary>Prefetches the first and the last element of <paramref name="length"/> at <paramref name="offset"/>
    /// (0: nothing there): one line for a block aligned to its cache line (length 1), two at most for a short row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch<T>(T[] array, int offset, int length) where T : unmanaged
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported || offset == 0) return;
        // A prefetch never faults, so an address made stale by the GC moving the array does no harm.
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref start));
        if (length > 1) System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref start, length - 1)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Class(char c) => c is CharFeatures.Bos or CharFeatures.Eos ? (int)CharClass.Boundary : (int)CharClassifier.Classify(c);
}
