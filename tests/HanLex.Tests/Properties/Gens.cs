using CsCheck;
using HanLex.Corpus;

namespace HanLex.Tests.Properties;

/// <summary>Generators for property tests: hostile text, People's Daily-like lines, random annotated sentences.</summary>
public static class Gens
{
    private static Gen<string> Chars(char min, char max) => Gen.Char[min, max].Select(c => c.ToString());

    private static Gen<string> Scalar(int min, int max) => Gen.Int[min, max].Select(char.ConvertFromUtf32);

    /// <summary>Pieces users' text is made of, and the worst of what it may contain.</summary>
    public static readonly Gen<string> Piece = Gen.Frequency(
        (30, Chars('\u4E00', '\u9FA5')),                          // common CJK
        (6, Gen.OneOf("，", "。", "！", "？", "、", "“", "”", "《", "》", "：", "；", "（", "）")),
        (4, Chars('0', '9')), (4, Chars('a', 'z')), (2, Chars('A', 'Z')),
        (3, Chars('０', '９')), (2, Chars('Ａ', 'Ｚ')),                 // full width
        (3, Gen.OneOf("年", "月", "日", "时", "分", "万", "亿", "第")),
        (4, Gen.OneOf(" ", "\t", "\u3000", "\u00A0", "\r", "\n", "  ")),
        (3, Scalar(0x20000, 0x2A6DF)),                          // CJK Extension B: surrogate pairs
        (3, Scalar(0x1F300, 0x1F64F)),                          // emoji
        (2, Gen.OneOf("👨‍👩‍👧", "🇨🇳", "é", "\u0301", "\uFE0F")), // joiners, flags, combining marks
        (2, Chars('\uD800', '\uDFFF')),                          // lone surrogates
        (2, Chars('\0', '\u001F')), (1, Gen.OneOf("\u007F", "\u0085", "\u2028", "\u200B", "\uFEFF", "\uFFFF", "\uFFFE")),
        (3, Gen.Char.Select(c => c.ToString())));                // anything in the BMP

    public static readonly Gen<string> Text = Piece.Array[0, 60].Select(string.Concat);

    private static readonly Gen<string> Word = Chars('\u4E00', '\u9FA5').Array[1, 4].Select(string.Concat);
    private static readonly Gen<string> Tag = Gen.OneOf("n", "v", "ns", "nr", "nt", "w", "ude1", "vshi", "Ng", "m");
    private static readonly Gen<string> Label = Gen.OneOf("nt", "ns", "nz", "ntc");

    /// <summary>Annotated sentences with compounds of two words or more that never overlap.</summary>
    public static readonly Gen<Sentence> Sentence = Gen.Select(
        Gen.Select(Word, Tag).Array[1, 12],
        Gen.Select(Gen.Int[0, 11], Gen.Int[2, 3], Label).Array[0, 3],
        (words, spans) =>
        {
            var compounds = new List<Compound>();
            int next = 0;
            foreach (var (start, count, label) in spans.OrderBy(s => s.Item1))
            {
                if (start < next || start + count > words.Length) continue;
                compounds.Add(new Compound(start, count, label));
                next = start + count;
            }
            return HanLex.Corpus.Sentence.FromWords(words.Select(w => (w.Item1, (string?)w.Item2)), compounds);
        });

    /// <summary>Lines that look like People's Daily annotation, broken in every way.</summary>
    public static readonly Gen<string> AnnotationLine = Gen.Frequency(
            (10, Gen.Select(Word, Tag, (w, t) => $"{w}/{t}")),
            (2, Gen.OneOf("[", "]", "]/nt", "]nt", "/", "//", "[/", "/w", "  ", " ", "\t")),
            (2, Piece))
        .Array[0, 20].Select(parts => string.Join(" ", parts));
}
