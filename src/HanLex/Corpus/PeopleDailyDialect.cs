namespace HanLex.Corpus;

/// <summary>The two spellings of the People's Daily annotation.</summary>
public enum PeopleDailyDialect
{
    /// <summary>2014: one space between words, <c>]/nt</c>, no line id.</summary>
    Pd2014,
    /// <summary>1998 (PKU): leading id token, two spaces between words and after the last, <c>]nt</c>.</summary>
    Pd1998,
}
