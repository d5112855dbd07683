using HanLex.Corpus;

namespace HanLex.Evaluation;

/// <summary>
/// Pairs the sentences of a gold and a predicted corpus, skipping empty lines on both sides, and checks that each
/// pair has the same characters: scores over different text would mean nothing.
/// </summary>
public static class SentencePairs
{
    public static IEnumerable<(Sentence Gold, Sentence Pred)> Align(IEnumerable<Sentence> gold, IEnumerable<Sentence> pred,
        string goldName = "gold", string predName = "pred")
    {
        using var g = gold.Where(s => !s.IsEmpty).GetEnumerator();
        using var p = pred.Where(s => !s.IsEmpty).GetEnumerator();
        int index = 0;
        while (true)
        {
            bool hasGold = g.MoveNext(), hasPred = p.MoveNext();
            if (!hasGold && !hasPred) yield break;
            index++;
            if (!hasGold)
                throw new EvaluationException($"{predName}:{p.Current.Line}: {predName} has more sentences than {goldName} ({index - 1})");
            if (!hasPred)
                throw new EvaluationException($"{goldName}:{g.Current.Line}: {goldName} has more sentences than {predName} ({index - 1})");
            var (a, b) = (g.Current, p.Current);
            if (!string.Equals(a.Text, b.Text, StringComparison.Ordinal))
            {
                int col = 0;
                while (col < a.Text.Length && col < b.Text.Length && a.Text[col] == b.Text[col]) col++;
                throw new EvaluationException(
                    $"{goldName}:{a.Line} and {predName}:{b.Line}: sentence {index} differs in its characters at character {col + 1}: " +
                    $"'{Snippet(a.Text, col)}' vs '{Snippet(b.Text, col)}'");
            }
            yield return (a, b);
        }
    }

    private static string Snippet(string s, int at) => at >= s.Length ? "(end)" : s.Substring(at, Math.Min(10, s.Length - at));
}
