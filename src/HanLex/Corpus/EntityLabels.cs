namespace HanLex.Corpus;

/// <summary>
/// Which labels count as named entities: compounds with such a label, and single words (outside any entity
/// compound) with such a tag. The default is the People's Daily convention <c>nr ns nt</c>.
/// </summary>
public sealed class EntityLabels
{
    private readonly HashSet<string>? _labels;

    private EntityLabels(HashSet<string>? labels) => _labels = labels;

    public static EntityLabels Default { get; } = new(["nr", "ns", "nt"]);

    /// <summary>Every compound is an entity, whatever its label; single words never are (character NER files).</summary>
    public static EntityLabels AnyCompound { get; } = new(null);

    public static EntityLabels Of(IEnumerable<string> labels) => new(new HashSet<string>(labels, StringComparer.Ordinal));

    public bool Contains(string? label) => label is not null && (_labels is null || _labels.Contains(label));

    private bool WordIsEntity(string? tag) => _labels is not null && tag is not null && _labels.Contains(tag);

    /// <summary>The entities of a sentence as character spans, in order.</summary>
    public List<EntitySpan> Extract(Sentence sentence)
    {
        var result = new List<EntitySpan>();
        var words = sentence.Words;
        int c = 0;
        for (int i = 0; i < words.Count;)
        {
            while (c < sentence.Compounds.Count && sentence.Compounds[c].End <= i) c++;
            if (c < sentence.Compounds.Count && sentence.Compounds[c].Start == i && Contains(sentence.Compounds[c].Label))
            {
                var cp = sentence.Compounds[c];
                result.Add(new EntitySpan(words[i].Offset, words[cp.End - 1].End, cp.Label, cp.Count));
                i = cp.End;
                continue;
            }
            if (WordIsEntity(words[i].Tag))
                result.Add(new EntitySpan(words[i].Offset, words[i].End, words[i].Tag!, 1));
            i++;
        }
        return result;
    }
}

/// <summary>An entity: characters [Start, End) of the sentence text, its type, and how many words it spans.</summary>
public readonly record struct EntitySpan(int Start, int End, string Type, int WordCount);
