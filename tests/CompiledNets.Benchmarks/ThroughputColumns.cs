using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Images per second, GFLOPS from the generated analytic FLOP counts, and the fraction of the machine's FMA
/// peak (COMPILEDNETS_PEAK_GFLOPS_PER_CORE, else measured on this machine by <see cref="FmaPeak"/>; times the
/// workers in use).
/// </summary>
public sealed class ThroughputColumn(ThroughputColumn.Kind kind) : IColumn
{
    public enum Kind { ImagesPerSecond, Gflops, PercentOfPeak }

    public string Id => nameof(ThroughputColumn) + kind;

    public string ColumnName => kind switch
    {
        Kind.ImagesPerSecond => "images/s",
        Kind.Gflops => "GFLOPS",
        _ => "% of peak",
    };

    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (int)kind;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => kind switch
    {
        Kind.ImagesPerSecond => "Images processed per second",
        Kind.Gflops => "Analytic FLOPs (FlopsPerForward or FlopsPerTrainStep) per second, in billions",
        _ => $"GFLOPS over the FMA peak of the cores in use ({PeakPerCore():0} GFLOPS per core)",
    };

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var workload = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<WorkloadAttribute>();
        if (report?.ResultStatistics is null || workload is null) return "-";
        double seconds = report.ResultStatistics.Median / 1e9;
        double images = workload.Images / seconds;
        double flopsPerImage = FlopsPerImage(benchmarkCase.Descriptor.Type, workload);
        double gflops = images * flopsPerImage / 1e9;
        int workers = Workers(benchmarkCase, workload.Images);
        double peak = PeakPerCore() * workers;
        return kind switch
        {
            Kind.ImagesPerSecond => images.ToString("N0", CultureInfo.InvariantCulture),
            Kind.Gflops => gflops.ToString("0.0", CultureInfo.InvariantCulture),
            _ => (100 * gflops / peak).ToString("0.0", CultureInfo.InvariantCulture) + " %",
        };
    }

    /// <summary>The analytic FLOPs of one image, from the generated constants of the benchmark class's network (its generic argument).</summary>
    private static double FlopsPerImage(Type benchmarks, WorkloadAttribute workload)
    {
        Type type = benchmarks;
        while (!(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(NetworkBenchmarks<>))) type = type.BaseType!;
        Type network = type.GetGenericArguments()[0];
        string constant = workload.Training ? "FlopsPerTrainStep" : "FlopsPerForward";
        return Convert.ToDouble(network.GetField(constant)!.GetValue(null), CultureInfo.InvariantCulture);
    }

    /// <summary>Cores doing the work: the Workers parameter (0 = all), but never more than the images.</summary>
    private static int Workers(BenchmarkCase benchmarkCase, int images)
    {
        var parameter = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Workers");
        int workers = parameter?.Value is int w && w > 0 ? w : Environment.ProcessorCount;
        return Math.Min(workers, images);
    }

    private static double PeakPerCore() =>
        double.TryParse(Environment.GetEnvironmentVariable("COMPILEDNETS_PEAK_GFLOPS_PER_CORE"), NumberStyles.Float, CultureInfo.InvariantCulture, out double peak)
            ? peak
            : FmaPeak.GflopsPerCore;

    public override string ToString() => ColumnName;
}
