using System.Runtime.CompilerServices;

namespace HanLex.Text;

/// <summary>Coarse character classes used as features: they let the model generalize over digits, dates and scripts.</summary>
public enum CharClass : byte
{
    Other = 0,
    Han = 1,
    Digit = 2,
    ChineseNumeral = 3,
    Latin = 4,
    Punctuation = 5,
    DateUnit = 6,
    Whitespace = 7,
    Boundary = 8,
}

/// <summary>Classifies and normalizes characters for features. Output text always keeps the original characters.</summary>
public static class CharClassifier
{
    private static readonly CharClass[] Table = BuildTable();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CharClass Classify(char c) => Table[c];

    /// <summary>Full width to half width (ASCII range and the ideographic space) and upper to lower case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Normalize(char c)
    {
        if (c >= '\uFF01' && c <= '\uFF5E') c = (char)(c - 0xFEE0);
        else if (c == '\u3000') c = ' ';
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(char c) => Table[c] == CharClass.Whitespace;

    private static CharClass[] BuildTable()
    {
        var t = new CharClass[65536];
        for (int i = 0; i < t.Length; i++)
        {
            char c = Normalize((char)i);
            t[i] = c switch
            {
                _ when char.IsWhiteSpace((char)i) || i == 0x3000 => CharClass.Whitespace,
                >= '0' and <= '9' => CharClass.Digit,
                >= 'a' and <= 'z' => CharClass.Latin,
                _ when "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟".Contains(c) => CharClass.ChineseNumeral,
                _ when "年月日时分秒号点".Contains(c) => CharClass.DateUnit,
                _ when char.IsPunctuation(c) || char.IsSymbol(c) => CharClass.Punctuation,
                >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' => CharClass.Han,
                _ when char.IsSurrogate(c) => CharClass.Han, // mostly CJK extension B and later
                _ when char.IsLetter(c) => CharClass.Latin,
                _ => CharClass.Other,
            };
        }
        return t;
    }
}
