using HanLex.Fuzz;

namespace HanLex.Tests.Fuzz;

/// <summary>
/// Replays the fuzzing corpus (fuzz/corpus: seeds, and every input afl-fuzz found interesting or crashing) through
/// the fuzz targets, then a fixed-seed batch of mutations of it, so CI repeats the fuzzer's findings deterministically.
/// </summary>
public sealed class FuzzReplayTests
{
    private const int MutationsPerInput = 300;

    public static TheoryData<string> Targets() => new(FuzzTargets.All.Keys);

    private static IEnumerable<byte[]> Corpus(string target)
    {
        var dir = Path.Combine(SharedData.RepoRoot, "fuzz", "corpus", target);
        Assert.True(Directory.Exists(dir), $"no fuzz corpus for {target}: {dir}");
        return Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Corpus_and_fixed_seed_mutations_give_no_finding(string target)
    {
        var run = FuzzTargets.All[target];
        var inputs = Corpus(target).ToList();
        Assert.NotEmpty(inputs);
        var random = new Random(20261128);
        int runs = 0;
        foreach (var input in inputs)
        {
            run(input);
            runs++;
            for (int i = 0; i < MutationsPerInput; i++)
            {
                var mutated = Mutate(input, inputs[random.Next(inputs.Count)], random);
                try
                {
                    run(mutated);
                }
                catch (Exception e)
                {
                    Assert.Fail($"{target}: finding on mutation {i} of a corpus input ({Convert.ToHexString(mutated)}): {e}");
                }
                runs++;
            }
        }
        Assert.Equal(inputs.Count * (MutationsPerInput + 1), runs);
    }

    /// <summary>afl's havoc stage in small: flips, interesting bytes, inserts, deletes, duplicated and spliced blocks.</summary>
    private static byte[] Mutate(byte[] input, byte[] other, Random random)
    {
        var bytes = new List<byte>(input);
        int steps = 1 + random.Next(8);
        byte[] interesting = [0x00, 0xFF, 0x7F, 0x80, (byte)'\n', (byte)'\r', (byte)' ', (byte)'[', (byte)']', (byte)'/', (byte)'\t', 0xE4, 0xEF, 0xBB, 0xBF, 0xD8, 0xDC];
        for (int s = 0; s < steps; s++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = interesting[random.Next(interesting.Length)]; break;
                case 2: bytes.Insert(at, interesting[random.Next(interesting.Length)]); break;
                case 3 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8))); break;
                case 4 when bytes.Count > 0:
                    int length = Math.Min(bytes.Count - at, 1 + random.Next(32));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    if (other.Length == 0) break;
                    int from = random.Next(other.Length);
                    bytes.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(64))).ToArray());
                    break;
            }
        }
        return bytes.ToArray();
    }
}
