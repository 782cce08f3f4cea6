using BenchmarkDotNet.Running;
using CompiledNets.Generator.Benchmarks;

// dotnet run -c Release --project tests/CompiledNets.Generator.Benchmarks -- --filter '*'   (add --job short for a quick look)
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
