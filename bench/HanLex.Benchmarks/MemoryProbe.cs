using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace HanLex.Benchmarks;

/// <summary>
/// Random reads, one a cache line, over arrays of growing size, with and without prefetching, and on both cores at
/// once over the same array, as two analyzing threads share one model: how large a table this machine serves quickly,
/// which bounds the model lookups, and how much two cores slow each other down (docs/performance.md).
/// </summary>
public static class MemoryProbe
{
    public static void Run()
    {
        const int Reads = 4_000_000;
        var random = new Random(1);
        foreach (int mb in new[] { 1, 4, 8, 16, 32, 64 })
        {
            var data = new long[mb * (1 << 20) / sizeof(long)];
            for (int i = 0; i < data.Length; i++) data[i] = i;
            var at = new int[Reads];
            var other = new int[Reads];
            for (int i = 0; i < Reads; i++) at[i] = random.Next(data.Length);
            for (int i = 0; i < Reads; i++) other[i] = random.Next(data.Length);
            Console.WriteLine($"{mb,3} MB: {Best(data, at, 0):F1} ns a read, prefetched 32 ahead {Best(data, at, 32):F1} ns, " +
                $"two cores at once {BestTogether(data, at, other):F1} ns a read on each");
        }
    }

    private static double Best(long[] data, int[] at, int ahead)
    {
        double best = double.MaxValue;
        long sum = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            var clock = Stopwatch.StartNew();
            sum += Read(data, at, ahead);
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1e6 / at.Length);
        }
        GC.KeepAlive(sum);
        return best;
    }

    /// <summary>Both cores reading the same array at the same time: the time of one read on each core.</summary>
    private static double BestTogether(long[] data, int[] at, int[] other)
    {
        double best = double.MaxValue;
        long sum = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            var clock = Stopwatch.StartNew();
            var second = Task.Run(() => Read(data, other, 0));
            sum += Read(data, at, 0) + second.Result;
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1e6 / at.Length);
        }
        GC.KeepAlive(sum);
        return best;
    }

    private static unsafe long Read(long[] data, int[] at, int ahead)
    {
        ref long first = ref MemoryMarshal.GetArrayDataReference(data);
        long sum = 0;
        for (int i = 0; i < at.Length; i++)
        {
            if (ahead > 0 && i + ahead < at.Length && Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, at[i + ahead])));
            sum += Unsafe.Add(ref first, at[i]);
        }
        return sum;
    }
}
