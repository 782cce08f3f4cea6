using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CompiledNets.Benchmarks;

// dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --filter '*'   (add --job short for a quick look)
if (args is ["--epoch", ..])
{
    EpochTiming.Run(args);
    return;
}

if (args is ["--kernels", ..])
{
    // --kernels [seed|lenet5|tutorial]
    KernelProfile.Run(args.Length > 1 ? args[1] switch
    {
        "lenet5" => typeof(LeNet5Network),
        "tutorial" => typeof(TutorialConvNetwork),
        _ => typeof(SeedNetwork),
    } : typeof(SeedNetwork));
    return;
}

var config = DefaultConfig.Instance
    .AddColumn(new ThroughputColumn(ThroughputColumn.Kind.ImagesPerSecond))
    .AddColumn(new ThroughputColumn(ThroughputColumn.Kind.Gflops))
    .AddColumn(new ThroughputColumn(ThroughputColumn.Kind.PercentOfPeak));
BenchmarkSwitcher.FromAssembly(typeof(SeedNetworkBenchmarks).Assembly).Run(args, config);
