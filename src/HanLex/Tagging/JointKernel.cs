using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;
using static HanLex.Tagging.SegmentationKernel;

namespace HanLex.Tagging;

/// <summary>
/// A joint segmentation model (<see cref="WordLabels.Joint"/>) and its classed lexicon compiled for decoding, as
/// <see cref="SegmentationKernel"/> compiles a six-label one: every template is a table indexed by the characters, the
/// pair or the lexicon match themselves, so no feature key is built or hashed. A position has 66 scores with the 11
/// word classes, not 6, so rows are of two kinds, by what pd98 text reads (436 weights a character in all):
/// <list type="bullet">
/// <item>dense rows of all labels, padded to whole 256-bit vectors, for the templates whose rows hold many weights: the
/// five unigrams in half precision (9 weights a row on average, 22–26 for the characters text has), and in single
/// precision the rows summed at load: the class trigram with the five-gram around it, the three lexicon-class
/// templates, and the bias with the lexicon lengths. Eight rows a position;</item>
/// <item>sparse (label, weight) blocks for the pair, skip-pair and lexicon-character templates, whose rows hold two
/// weights on average over 70K pairs: dense, they would take 40 times the memory.</item>
/// </list>
/// The scores then go through <see cref="JointDecoder"/>. Built once at load; read-only and thread-safe.
/// </summary>
internal sealed class JointKernel
{
    private const int Lanes = 8;
    private const int BeginClass = 20, EndClass = 21, BothClasses = 22;

    private readonly int L, W, _classValues;            // labels, lanes a dense row (L rounded up), lexicon class values (K + 1)
    private readonly JointDecoder _decoder;
    private readonly float[] _transitions;
    private readonly int[] _charBlock = new int[65536]; // char → offset of its unigram block (0: the zero block)
    private readonly ushort[] _unigrams;                 // half precision, five slots of W a character
    private readonly PairMap _pairs;                     // pair → (offset of its bigram block << 8) | (word class + 1) << 2 | lexicon flags
    private readonly PairMap _skips;                     // (previous, next) around a position → offset of its block
    private readonly PairMap _lexiconChars;              // lexicon lengths × character → offset of its block
    private readonly uint[] _blocks;                     // sparse rows, see SparseBlocks
    // Class five-gram → offset of its row: the five-gram's weights with its middle trigram's, or the trigram's alone.
    private readonly int[] _classFiveGrams = new int[ClassCount * ClassCount * ClassCount * ClassCount * ClassCount];
    private readonly float[] _classRows;
    private readonly float[] _lengthRows;                // bias + begin, end and (begin, end, middle) lengths, by (begin, end, middle)
    private readonly float[] _lexiconClassRows;          // by (begin length, begin class, end length, end class): the three class templates summed
    private readonly KeyMap? _prefixes;                  // rolling hashes of lexicon prefixes of 3+ characters → flags and class
    private readonly bool _hasLexicon, _hasClasses;

    /// <summary>
    /// Whether <paramref name="model"/> can be compiled: joint labels of at most <see cref="MaxClasses"/> classes, plain
    /// weights (no learned overlay). The lexicon-class table grows with the cube of the classes: 3 MB at 11, 9 at 16, 68 at 32.
    /// </summary>
    public static bool Supports(LinearModel model) =>
        model.Overlay is null && WordLabels.ClassesOf(model.Labels) is { Length: <= MaxClasses };

    public const int MaxClasses = 16;

    public JointKernel(LinearModel model, WordLexicon? lexicon)
    {
        var classes = WordLabels.ClassesOf(model.Labels);
        if (!Supports(model) || classes is null) throw new ArgumentException($"model has an overlay, or is not a joint segmentation model of at most {MaxClasses} classes", nameof(model));
        L = model.Labels.Count;
        W = (L + Lanes - 1) / Lanes * Lanes;
        _classValues = classes.Length + 1;
        _transitions = model.EffectiveTransitions;
        _decoder = new JointDecoder(classes.Length, _transitions);
        var keys = model.Keys;

        // Pass 1: number the characters, pairs and keyed rows that have weights.
        var pairIds = new PairMap(1024);
        var skipIds = new PairMap(1024);
        var lexiconCharIds = new PairMap(1024);
        int charCount = 0, pairCount = 0, skipCount = 0, lexiconCharCount = 0, fiveGrams = 0;
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            char a = (char)(key >> 32), b = (char)(key >> 16), c = (char)key;
            switch ((int)(key >> 56))
            {
                case >= CharFeatures.Unigram0 and <= CharFeatures.UnigramN2:
                    if (_charBlock[a] == 0) _charBlock[a] = ++charCount * UnigramSlots * W;
                    break;
                case >= CharFeatures.BigramP1C and <= CharFeatures.BigramN1N2:
                    if (pairIds.TryAdd(PairOf(key), pairCount + 1)) pairCount++;
                    break;
                case SkipBigram:
                    if (skipIds.TryAdd(PairOf(key), skipCount + 1)) skipCount++;
                    break;
                case MiddleChar or BeginEndChar:
                    if (lexiconCharIds.TryAdd(LexiconCharKey(key), lexiconCharCount + 1)) lexiconCharCount++;
                    break;
                case ClassFiveGram:
                    _classFiveGrams[ClassFiveGramIndex(a >> 8, a & 0xFF, b, c >> 8, c & 0xFF)] = ++fiveGrams * W;
                    break;
            }
        }
        _unigrams = Tables.Zeroed<ushort>((charCount + 1) * UnigramSlots * W);
        const int Trigrams = ClassCount * ClassCount * ClassCount;
        var trigrams = new float[Trigrams * W];
        var fiveGramRows = new float[(fiveGrams + 1) * W];
        var beginClasses = new float[LengthValues * _classValues * W];
        var endClasses = new float[LengthValues * _classValues * W];
        var bothClasses = new float[_classValues * _classValues * W];
        var bias = new float[W];
        var begin = new float[LengthValues * W];
        var end = new float[LengthValues * W];
        var lengths = new float[LengthValues * LengthValues * LengthValues * W];
        // Blocks: pairs first (four slots each), then skips, then lexicon characters.
        var blocks = new SparseBlocks(pairCount + skipCount + lexiconCharCount + 1);
        int skipBase = pairCount, lexiconCharBase = pairCount + skipCount;

        // Pass 2: copy each row's weights to where decoding reads them.
        var rowStart = model.RowStart;
        var entries = model.Entries;
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            int template = (int)(key >> 56);
            var row = entries[rowStart[r]..rowStart[r + 1]];
            char a = (char)(key >> 32), b = (char)(key >> 16), c = (char)key;
            (ushort[]? halves, int at) = template switch
            {
                >= CharFeatures.Unigram0 and <= CharFeatures.UnigramN2 => (_unigrams, _charBlock[a] + UnigramSlot(template) * W),
                _ => (null, 0),
            };
            if (halves is not null)
            {
                foreach (var e in row) halves[at + e.Label] = e.WeightBits;
                continue;
            }
            switch (template)
            {
                case >= CharFeatures.BigramP1C and <= CharFeatures.BigramN1N2:
                    blocks.Add(pairIds.Find(PairOf(key)), BigramSlot(template), row);
                    continue;
                case SkipBigram:
                    blocks.Add(skipBase + skipIds.Find(PairOf(key)), 0, row);
                    continue;
                case MiddleChar or BeginEndChar:
                    blocks.Add(lexiconCharBase + lexiconCharIds.Find(LexiconCharKey(key)), 0, row);
                    continue;
            }
            (float[]? target, int offset) = template switch
            {
                1 => (bias, 0),
                ClassTrigram => (trigrams, ((a * ClassCount + b) * ClassCount + c) * W),
                ClassFiveGram => (fiveGramRows, _classFiveGrams[ClassFiveGramIndex(a >> 8, a & 0xFF, b, c >> 8, c & 0xFF)]),
                BeginClass when b < _classValues => (beginClasses, (a * _classValues + b) * W),
                EndClass when b < _classValues => (endClasses, (a * _classValues + b) * W),
                BothClasses when a < _classValues && b < _classValues => (bothClasses, (a * _classValues + b) * W),
                BeginLength => (begin, a * W),
                EndLength => (end, a * W),
                AllLengths => (lengths, ((a * LengthValues + b) * LengthValues + c) * W),
                _ => (null, 0),
            };
            if (target is null) continue;
            foreach (var e in row) target[offset + e.Label] = e.Weight;
        }
        // The bias and a position's lexicon length rows summed once per (begin, end, middle); 0 (no word) has no length feature.
        _lengthRows = new float[LengthValues * LengthValues * LengthValues * W];
        for (int bl = 0; bl < LengthValues; bl++)
            for (int el = 0; el < LengthValues; el++)
                for (int ml = 0; ml < LengthValues; ml++)
                {
                    int at = ((bl * LengthValues + el) * LengthValues + ml) * W;
                    for (int y = 0; y < L; y++)
                        _lengthRows[at + y] = bias[y] + (lexicon is null ? 0 : lengths[at + y] + (bl > 0 ? begin[bl * W + y] : 0) + (el > 0 ? end[el * W + y] : 0));
                }
        // Class n-grams: each five-gram's row with its middle trigram's added, every other five-gram led to its trigram.
        _classRows = new float[(Trigrams + fiveGrams) * W];
        trigrams.CopyTo(_classRows, 0);
        for (int index = 0; index < _classFiveGrams.Length; index++)
        {
            int middle = MiddleTrigram(index);
            int fiveGram = _classFiveGrams[index];
            if (fiveGram == 0)
            {
                _classFiveGrams[index] = middle * W;
                continue;
            }
            int at = (Trigrams - 1) * W + fiveGram; // five-gram rows are numbered from 1
            _classFiveGrams[index] = at;
            for (int y = 0; y < L; y++) _classRows[at + y] = fiveGramRows[fiveGram + y] + trigrams[middle * W + y];
        }
        // Lexicon classes: one row per (begin length, begin class, end length, end class), and a zero row last for a
        // lexicon without classes, whose positions have none of these features.
        int cv = _classValues;
        _lexiconClassRows = new float[(LengthValues * cv * LengthValues * cv + 1) * W];
        if (lexicon?.HasClasses == true)
            for (int bl = 0; bl < LengthValues; bl++)
                for (int bc = 0; bc < cv; bc++)
                    for (int el = 0; el < LengthValues; el++)
                        for (int ec = 0; ec < cv; ec++)
                        {
                            int at = LexiconClassRow(bl, bc, el, ec);
                            for (int y = 0; y < L; y++)
                                _lexiconClassRows[at + y] = (bc > 0 ? beginClasses[(bl * cv + bc) * W + y] : 0)
                                    + (ec > 0 ? endClasses[(el * cv + ec) * W + y] : 0) + bothClasses[(bc * cv + ec) * W + y];
                        }
        var offsets = blocks.Build(out _blocks);
        if (_blocks.Length >= 1 << 23) throw new NotSupportedException("too many sparse weights for a joint segmentation kernel");
        // The final tables map straight to block offsets: one lookup, then one block of a cache line or two.
        _pairs = Remap(pairIds, offsets, 0, shift: 8);
        _skips = Remap(skipIds, offsets, skipBase, shift: 0);
        _lexiconChars = Remap(lexiconCharIds, offsets, lexiconCharBase, shift: 0);
        _hasLexicon = lexicon is not null;
        _hasClasses = lexicon?.HasClasses == true;
        if (lexicon is not null) _prefixes = IndexLexicon(lexicon, _pairs);
        _pairs = _pairs.Compacted();
    }

    private int LexiconClassRow(int beginLength, int beginClass, int endLength, int endClass) =>
        (((beginLength * _classValues + beginClass) * LengthValues + endLength) * _classValues + endClass) * W;

    /// <summary>The class trigram (previous, this, next) in the middle of a class five-gram index.</summary>
    private static int MiddleTrigram(int index)
    {
        int n1 = index / ClassCount % ClassCount, c = index / (ClassCount * ClassCount) % ClassCount, p1 = index / (ClassCount * ClassCount * ClassCount) % ClassCount;
        return (p1 * ClassCount + c) * ClassCount + n1;
    }

    /// <summary>A table of the same keys whose values are their blocks' offsets (shifted), for ids numbered from 1.</summary>
    private static PairMap Remap(PairMap ids, int[] offsets, int idBase, int shift)
    {
        var map = new PairMap(KernelMaps.CapacityFor(ids.Count));
        foreach (var (key, id) in ids.Entries()) map.TryAdd(key, offsets[idBase + id] << shift);
        return shift == 0 ? map.Compacted() : map;
    }

    /// <summary>The lexicon: two-character words and prefixes are flags on the pair table, longer prefixes rolling hashes;
    /// a word's class (id + 1) rides beside its flags.</summary>
    private static KeyMap IndexLexicon(WordLexicon lexicon, PairMap pairs)
    {
        var prefixes = new KeyMap(1024);
        var classes = lexicon.StoredClasses;
        int w = 0;
        foreach (var word in lexicon.Words)
        {
            int wordClass = classes.IsEmpty ? 0 : classes[w];
            w++;
            pairs.Or((uint)word[0] << 16 | word[1], word.Length == 2 ? IsWord | wordClass << 2 : IsPrefix);
            ulong h = WordLexicon.Step(WordLexicon.Step(WordLexicon.Seed, word[0]), word[1]);
            for (int i = 2; i < word.Length; i++)
            {
                h = WordLexicon.Step(h, word[i]);
                prefixes.Or(h, i == word.Length - 1 ? IsWord | wordClass << 2 : IsPrefix);
            }
        }
        return prefixes.Compacted();
    }

    /// <summary>Labels <paramref name="chars"/> (normalized) with the model's joint labels, as <see cref="Segmenter"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        var padded = Prepare(chars, ws);

        // Hash lookups first, all prefetched, so their cache misses overlap.
        var pairs = ws.Pairs.AsSpan(0, n + 3);
        var skips = ws.Skips.AsSpan(0, n);
        for (int j = 0; j < n + 3; j++) _pairs.Prefetch(Pair(padded[j], padded[j + 1]));
        for (int i = 0; i < n; i++) _skips.Prefetch(Pair(padded[i + 1], padded[i + 3]));
        for (int j = 0; j < n + 3; j++) Prefetch(_blocks, (pairs[j] = _pairs.Find(Pair(padded[j], padded[j + 1]))) >> 8, 16);
        for (int i = 0; i < n; i++) Prefetch(_blocks, skips[i] = _skips.Find(Pair(padded[i + 1], padded[i + 3])), 4);
        var matches = ws.Lexicon.AsSpan(0, n);
        var lexiconChars = ws.LexiconChars.AsSpan(0, 2 * n);
        matches.Clear();
        lexiconChars.Clear();
        if (_hasLexicon)
        {
            MatchLexicon(chars, pairs, matches, _prefixes!, classMask: 0x3F);
            for (int i = 0; i < n; i++)
            {
                var m = matches[i];
                lexiconChars[2 * i] = _lexiconChars.Find(BeginEndCharKey(m.Begin, m.End, chars[i]));
                lexiconChars[2 * i + 1] = m.Middle > 0 ? _lexiconChars.Find(MiddleCharKey(m.Middle, chars[i])) : 0;
            }
        }
        var scores = ws.EmissionsFor(n * W);
        Score(padded, pairs, skips, matches, lexiconChars, scores);
        _decoder.Decode(_transitions, scores, n, labels, allowed, W);
    }

    /// <summary>Every position's L scores, each row W floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Score(ReadOnlySpan<char> padded, ReadOnlySpan<int> pairs, ReadOnlySpan<int> skips, ReadOnlySpan<LexiconMatch> matches,
        ReadOnlySpan<int> lexiconChars, Span<float> scores)
    {
        int n = skips.Length, W = this.W, V = W / Lanes;
        ref ushort unigrams = ref MemoryMarshal.GetArrayDataReference(_unigrams);
        ref int charBlock = ref MemoryMarshal.GetArrayDataReference(_charBlock);
        ref int fiveGrams = ref MemoryMarshal.GetArrayDataReference(_classFiveGrams);
        ref uint blocks = ref MemoryMarshal.GetArrayDataReference(_blocks);
        for (int i = 0; i < n; i++)
        {
            ref float row = ref scores[i * W];
            var m = matches[i];
            int cp2 = Class(padded[i]), cp1 = Class(padded[i + 1]), cc = Class(padded[i + 2]), cn1 = Class(padded[i + 3]), cn2 = Class(padded[i + 4]);
            ref float lengthRow = ref _lengthRows[((m.Begin * LengthValues + m.End) * LengthValues + m.Middle) * W];
            ref float classRow = ref _classRows[Unsafe.Add(ref fiveGrams, ClassFiveGramIndex(cp2, cp1, cc, cn1, cn2))];
            // Padded index of character i is i + 2; each offset's row sits at its slot in the block.
            nuint u0 = (nuint)(Unsafe.Add(ref charBlock, padded[i]) + 4 * W), u1 = (nuint)(Unsafe.Add(ref charBlock, padded[i + 1]) + 3 * W),
                u2 = (nuint)(Unsafe.Add(ref charBlock, padded[i + 2]) + 2 * W), u3 = (nuint)(Unsafe.Add(ref charBlock, padded[i + 3]) + W),
                u4 = (nuint)Unsafe.Add(ref charBlock, padded[i + 4]);
            // A class beyond the model's counts as none; a lexicon without classes reads the last row, all zeros.
            int bc = _hasClasses && m.BeginClass < _classValues ? m.BeginClass : 0, ec = _hasClasses && m.EndClass < _classValues ? m.EndClass : 0;
            ref float lexiconClassRow = ref _lexiconClassRows[_hasClasses ? LexiconClassRow(m.Begin, bc, m.End, ec) : _lexiconClassRows.Length - W];
            for (int v = 0; v < V; v++)
            {
                nuint o = (nuint)(v * Lanes);
                var sum = Vector256.LoadUnsafe(ref lengthRow, o) + Vector256.LoadUnsafe(ref classRow, o) + Vector256.LoadUnsafe(ref lexiconClassRow, o);
                sum += HalfPrecision.Load8(ref unigrams, u0 + o) + HalfPrecision.Load8(ref unigrams, u1 + o) + HalfPrecision.Load8(ref unigrams, u2 + o)
                    + HalfPrecision.Load8(ref unigrams, u3 + o) + HalfPrecision.Load8(ref unigrams, u4 + o);
                sum.StoreUnsafe(ref row, o);
            }
            // Pairs starting at characters i-2 .. i+1 are pairs[i .. i+3].
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i] >> 8, 3);
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i + 1] >> 8, 2);
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i + 2] >> 8, 1);
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i + 3] >> 8, 0);
            SparseBlocks.AddTo(ref row, ref blocks, skips[i], 0);
            SparseBlocks.AddTo(ref row, ref blocks, lexiconChars[2 * i], 0);
            SparseBlocks.AddTo(ref row, ref blocks, lexiconChars[2 * i + 1], 0);
        }
    }

    /// <summary>
    /// Sparse rows laid out so that one lookup leads to one short run of memory: a block per pair (its four bigram
    /// slots), per skip pair or per lexicon key, holding a header of its slots' entry counts (a byte each) and then
    /// the slots' entries, each a label and a half-precision weight in 32 bits. Offset 0 is an empty block.
    /// </summary>
    private sealed class SparseBlocks(int blockCount)
    {
        private const int Slots = 4;
        private readonly List<(int Block, int Slot, int Label, ushort Weight)> _entries = [];

        public void Add(int block, int slot, ReadOnlySpan<LinearModel.Entry> weights)
        {
            if ((uint)block >= (uint)blockCount || block == 0) throw new InvalidOperationException($"block {block} outside 1..{blockCount - 1}");
            foreach (var e in weights) _entries.Add((block, slot, e.Label, e.WeightBits));
        }

        /// <summary>Lays the blocks out; returns each block's offset in <paramref name="blocks"/>.</summary>
        public int[] Build(out uint[] blocks)
        {
            var counts = new int[blockCount * Slots];
            foreach (var (block, slot, _, _) in _entries) counts[block * Slots + slot]++;
            var offsets = new int[blockCount];
            int size = 1;
            for (int b = 1; b < blockCount; b++)
            {
                offsets[b] = size;
                size += 1 + counts[b * Slots] + counts[b * Slots + 1] + counts[b * Slots + 2] + counts[b * Slots + 3];
            }
            blocks = Tables.Zeroed<uint>(size);
            var next = new int[blockCount * Slots];
            for (int b = 1; b < blockCount; b++)
            {
                int at = offsets[b] + 1;
                uint header = 0;
                for (int slot = 0; slot < Slots; slot++)
                {
                    int count = counts[b * Slots + slot];
                    if (count > byte.MaxValue) throw new InvalidOperationException("more than 255 weights in a sparse row");
                    header |= (uint)count << (8 * slot);
                    next[b * Slots + slot] = at;
                    at += count;
                }
                blocks[offsets[b]] = header;
            }
            foreach (var (block, slot, label, weight) in _entries) blocks[next[block * Slots + slot]++] = (uint)label << 16 | weight;
            return offsets;
        }

        /// <summary>Adds slot <paramref name="slot"/> of the block at <paramref name="offset"/> to the scores.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddTo(ref float scores, ref uint blocks, int offset, int slot)
        {
            if (offset == 0) return;
            // Unchecked: offsets come from the tables built with the blocks, labels are below L (checked at model load).
            uint header = Unsafe.Add(ref blocks, offset);
            int skip = (int)(header & ((1u << (8 * slot)) - 1));
            skip = (skip & 0xFF) + ((skip >> 8) & 0xFF) + ((skip >> 16) & 0xFF);
            int count = (int)(header >> (8 * slot)) & 0xFF;
            ref uint e = ref Unsafe.Add(ref blocks, offset + 1 + skip);
            for (int k = 0; k < count; k++)
            {
                uint entry = Unsafe.Add(ref e, k);
                Unsafe.Add(ref scores, (int)(entry >> 16)) += HalfPrecision.ToSingle((ushort)entry);
            }
        }
    }
}
