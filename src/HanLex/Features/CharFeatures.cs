using HanLex.Text;

namespace HanLex.Features;

/// <summary>
/// Segmentation features of one character position: character uni- and bigrams in a five-character window, the
/// classes of the neighbours, and the lengths of lexicon words that start, end or pass there.
/// </summary>
public static class CharFeatures
{
    public const int Count = 21;

    /// <summary>Bumped whenever the templates change, so an older model is refused instead of silently misread.</summary>
    public const string Templates = "hanlex.cws-features.v3";

    /// <summary>
    /// Template ids: unigram at offset -2..2 and bigram starting at offset -2..1, as written below. The analyzer reads
    /// all templates from compiled tables (<see cref="Tagging.SegmentationKernel"/>), which must follow any change here.
    /// </summary>
    public const int Unigram0 = 2, UnigramP1 = 3, UnigramN1 = 4, UnigramP2 = 5, UnigramN2 = 6;
    public const int BigramP1C = 7, BigramCN1 = 8, BigramP2P1 = 9, BigramN1N2 = 10;

    public const char Bos = '\u0002', Eos = '\u0003';

    /// <summary>Writes <see cref="Count"/> keys per position of <paramref name="chars"/> (normalized) into <paramref name="keys"/>.</summary>
    /// <param name="lexicon">Per position: longest lexicon word starting here, ending here, and covering it (0 = none); may be empty.</param>
    /// <param name="classes">Whether the lexicon has word classes: then the last three templates read them (a joint
    /// model's); otherwise they are absent, so models without classes keep the features they always had.</param>
    public static void Extract(ReadOnlySpan<char> chars, ReadOnlySpan<LexiconMatch> lexicon, Span<ulong> keys, bool classes = false)
    {
        int n = chars.Length;
        for (int i = 0; i < n; i++)
        {
            char c = chars[i];
            char p1 = i >= 1 ? chars[i - 1] : Bos, p2 = i >= 2 ? chars[i - 2] : Bos;
            char n1 = i + 1 < n ? chars[i + 1] : Eos, n2 = i + 2 < n ? chars[i + 2] : Eos;
            var k = keys.Slice(i * Count, Count);
            k[0] = FeatureKey.Chars(1, '\u0001');
            k[1] = FeatureKey.Chars(2, c);
            k[2] = FeatureKey.Chars(3, p1);
            k[3] = FeatureKey.Chars(4, n1);
            k[4] = FeatureKey.Chars(5, p2);
            k[5] = FeatureKey.Chars(6, n2);
            k[6] = FeatureKey.Chars(7, p1, c);
            k[7] = FeatureKey.Chars(8, c, n1);
            k[8] = FeatureKey.Chars(9, p2, p1);
            k[9] = FeatureKey.Chars(10, n1, n2);
            k[10] = FeatureKey.Chars(11, p1, n1);
            k[11] = FeatureKey.Chars(13, (char)Class(p1), (char)Class(c), (char)Class(n1));
            k[15] = FeatureKey.Chars(17, (char)((int)Class(p2) << 8 | (int)Class(p1)), (char)Class(c), (char)((int)Class(n1) << 8 | (int)Class(n2)));
            k[18] = k[19] = k[20] = 0;
            if (lexicon.IsEmpty)
            {
                k[12] = k[13] = k[14] = k[16] = k[17] = 0;
                if (classes) k[20] = FeatureKey.Chars(22, '\0', '\0');
            }
            else
            {
                var m = lexicon[i];
                k[12] = m.Begin > 0 ? FeatureKey.Chars(14, (char)m.Begin) : 0;
                k[13] = m.End > 0 ? FeatureKey.Chars(15, (char)m.End) : 0;
                k[14] = m.Middle > 0 ? FeatureKey.Chars(16, (char)m.Middle, c) : 0;
                k[16] = FeatureKey.Chars(18, (char)m.Begin, (char)m.End, c);
                k[17] = FeatureKey.Chars(19, (char)m.Begin, (char)m.End, (char)m.Middle);
                if (classes)
                {
                    // The class of the longest word beginning and ending here, with its length, and the two together.
                    if (m.BeginClass > 0) k[18] = FeatureKey.Chars(20, (char)m.Begin, (char)m.BeginClass);
                    if (m.EndClass > 0) k[19] = FeatureKey.Chars(21, (char)m.End, (char)m.EndClass);
                    k[20] = FeatureKey.Chars(22, (char)m.BeginClass, (char)m.EndClass);
                }
            }
        }
    }

    private static CharClass Class(char c) => c switch
    {
        Bos or Eos => CharClass.Boundary,
        _ => CharClassifier.Classify(c),
    };
}

/// <summary>
/// Lengths (capped) of the longest lexicon words that begin at, end at and strictly cover a position, and the word
/// classes (id + 1, 0 for none) of the first two.
/// </summary>
public struct LexiconMatch
{
    public byte Begin;
    public byte End;
    public byte Middle;
    public byte BeginClass;
    public byte EndClass;
}
