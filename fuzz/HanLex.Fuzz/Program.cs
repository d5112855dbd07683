using HanLex.Fuzz;
using SharpFuzz;

// Usage: HanLex.Fuzz TARGET            (under afl-fuzz, see fuzz/README.md)
//        HanLex.Fuzz TARGET FILE...    (replays inputs, e.g. a crash afl-fuzz found)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: HanLex.Fuzz {string.Join('|', FuzzTargets.All.Keys)} [FILE...]");
    return 2;
}
if (args.Length > 1)
{
    foreach (var file in args.Skip(1)) target(File.ReadAllBytes(file));
    Console.WriteLine($"{args.Length - 1} inputs replayed without a finding");
    return 0;
}
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
