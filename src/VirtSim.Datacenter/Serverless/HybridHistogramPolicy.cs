using VirtSim.Datacenter.Validation;

namespace VirtSim.Datacenter.Serverless;

/// <summary>
/// The hybrid histogram keep-alive policy of Shahrad et al., "Serverless in the Wild:
/// Characterizing and Optimizing the Serverless Workload at a Large Cloud Provider" (USENIX ATC
/// 2020). For each function it keeps a histogram of idle times (from the end of one execution to
/// the next invocation). When the histogram is representative, an instance is unloaded after
/// execution, pre-warmed at the head of the distribution (a low percentile, less a margin) and
/// kept until its tail (a high percentile, plus a margin); otherwise it falls back to a fixed
/// keep-alive as long as the histogram's range.
/// </summary>
/// <remarks>
/// The paper leaves these open or gives them as its defaults; our choices, and why:
/// bins of 1 minute over 4 hours (the paper's defaults: minute granularity matches its trace,
/// 4 hours covers most idle times it observed); head and tail at the 5th and 99th percentiles
/// with a 10% margin (the paper's defaults); representative when at least 10 idle times have
/// been seen (our choice: fewer make percentiles noise) and the coefficient of variation of the
/// bin counts is at least 2 (the paper's test: a flat histogram says nothing about when the next
/// call comes); idle times beyond the range are out of bounds, and when more than half of them are,
/// the fallback applies (the paper predicts those with ARIMA; we do not model ARIMA and keep the
/// fixed window instead, which the paper also uses when data is short).
/// </remarks>
/// <param name="BinSeconds">Width of a histogram bin.</param>
/// <param name="RangeSeconds">Range of the histogram; also the fallback keep-alive.</param>
/// <param name="HeadPercentile">Percentile of idle times at which to pre-warm.</param>
/// <param name="TailPercentile">Percentile of idle times until which to keep the instance.</param>
/// <param name="Margin">Fraction taken off the head and added to the tail.</param>
/// <param name="MinimumSamples">Idle times needed before the histogram is trusted.</param>
/// <param name="CvThreshold">Least coefficient of variation of the bin counts for a representative histogram.</param>
public sealed record HybridHistogramPolicy(
    double BinSeconds = 60,
    double RangeSeconds = 4 * 3600,
    double HeadPercentile = 0.05,
    double TailPercentile = 0.99,
    double Margin = 0.10,
    int MinimumSamples = 10,
    double CvThreshold = 2) : KeepAlivePolicy
{
    /// <summary>
    /// The most bins a histogram may have: each function's policy holds an array of them. The
    /// paper's default is 240 (a minute over four hours); a hundred thousand allows second bins
    /// over a day.
    /// </summary>
    public const int MaxBins = 100_000;

    /// <summary>What is wrong with this policy, each with its key below <paramref name="path"/> (e.g. <c>functions[0].keep_alive</c>).</summary>
    public IEnumerable<SpecError> Validate(string path)
    {
        if (!(BinSeconds > 0) || double.IsInfinity(BinSeconds))
        {
            yield return new($"{path}.bin", "expected a bin width above 0 s");
        }
        else if (!(RangeSeconds >= BinSeconds) || double.IsInfinity(RangeSeconds))
        {
            yield return new($"{path}.range", "expected the range to hold at least one bin");
        }
        else if (RangeSeconds / BinSeconds > MaxBins)
        {
            yield return new($"{path}.range", $"expected at most {MaxBins:N0} bins, not {RangeSeconds / BinSeconds:G3} (range / bin); widen the bin or shorten the range");
        }
        if (!(HeadPercentile is >= 0 and <= 1))
        {
            yield return new($"{path}.head_percentile", "expected a share from 0 to 1");
        }
        if (!(TailPercentile is >= 0 and <= 1))
        {
            yield return new($"{path}.tail_percentile", "expected a share from 0 to 1");
        }
        else if (TailPercentile < HeadPercentile)
        {
            yield return new($"{path}.tail_percentile", "expected the tail percentile to be at least the head percentile");
        }
        if (!(Margin is >= 0 and <= 1))
        {
            yield return new($"{path}.margin", "expected a share from 0 to 1");
        }
        if (MinimumSamples < 1)
        {
            yield return new($"{path}.min_samples", "expected at least 1");
        }
        if (!(CvThreshold >= 0) || double.IsInfinity(CvThreshold))
        {
            yield return new($"{path}.cv_threshold", "expected a number not below 0");
        }
    }

    /// <inheritdoc />
    public override KeepAliveState Start() => new State(this);

    private sealed class State(HybridHistogramPolicy policy) : KeepAliveState
    {
        private readonly long[] _bins = new long[(int)Math.Ceiling(policy.RangeSeconds / policy.BinSeconds)];
        private long _inRange;
        private long _outOfBounds;

        public override void Observe(double idleTime)
        {
            int bin = (int)(idleTime / policy.BinSeconds);
            if (bin >= _bins.Length)
            {
                _outOfBounds++;
                return;
            }
            _bins[bin]++;
            _inRange++;
        }

        public override KeepAliveWindow Window()
        {
            if (_inRange < policy.MinimumSamples || _outOfBounds > _inRange || CoefficientOfVariation() < policy.CvThreshold)
            {
                return new KeepAliveWindow(0, policy.RangeSeconds);
            }
            // Bin edges, conservatively: pre-warm at the start of the head's bin, keep to the end of the tail's.
            double head = BinOf(policy.HeadPercentile) * policy.BinSeconds * (1 - policy.Margin);
            double tail = (BinOf(policy.TailPercentile) + 1) * policy.BinSeconds * (1 + policy.Margin);
            return new KeepAliveWindow(head, tail);
        }

        private int BinOf(double percentile)
        {
            long rank = (long)Math.Ceiling(percentile * _inRange);
            long seen = 0;
            for (int i = 0; i < _bins.Length; i++)
            {
                seen += _bins[i];
                if (seen >= Math.Max(rank, 1))
                {
                    return i;
                }
            }
            return _bins.Length - 1;
        }

        private double CoefficientOfVariation()
        {
            double mean = (double)_inRange / _bins.Length;
            double variance = 0;
            foreach (long count in _bins)
            {
                variance += (count - mean) * (count - mean);
            }
            variance /= _bins.Length - 1;
            return mean > 0 ? Math.Sqrt(variance) / mean : 0;
        }
    }
}
