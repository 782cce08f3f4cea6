using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CompiledNets.Benchmarks;

// dotnet run -c Release --project tests/CompiledNets.Benchmarks -- --filter '*'   (add --job short for a quick look)
if (args is ["--epoch", ..])
{
    EpochTiming.Run(args);
    return;
}

if (args is ["--kernels" or "--steps", ..])
{
    // --kernels [seed|lenet5|tutorial] [--against OTHER_BUILD_OUTPUT_FOLDER]
    // --steps [seed|lenet5|tutorial] --against OTHER_BUILD_OUTPUT_FOLDER
    Type network = args.Length > 1 ? args[1] switch
    {
        "lenet5" => typeof(LeNet5Network),
        "tutorial" => typeof(TutorialConvNetwork),
        _ => typeof(SeedNetwork),
    } : typeof(SeedNetwork);
    int against = Array.IndexOf(args, "--against");
    if (args[0] == "--steps")
        StepComparison.Run(network, against > 0 && against + 1 < args.Length ? args[against + 1] : throw new ArgumentException("--steps needs --against OTHER_BUILD_OUTPUT_FOLDER"));
    else if (against > 0 && against + 1 < args.Length)
        KernelComparison.Run(network, args[against + 1]);
    else
        KernelProfile.Run(network);
    return;
}

var config = DefaultConfig.Instance
    .AddColumn(new ThroughputColumn(ThroughputColumn.Kind.ImagesPerSecond))
    .AddColumn(new ThroughputColumn(ThroughputColumn.Kind.Gflops))
    .AddColumn(new ThroughputColumn(ThroughputColumn.Kind.PercentOfPeak));
BenchmarkSwitcher.FromAssembly(typeof(SeedNetworkBenchmarks).Assembly).Run(args, config);
