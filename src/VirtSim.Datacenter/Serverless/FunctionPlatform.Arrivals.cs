using VirtSim.Kernel;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>The user's keep-alive pings for one function, at a fixed interval.</summary>
    private sealed class PingSource(Function function, double interval) : Wakeable
    {
        protected override void Wake(long seq)
        {
            function.Ping(function.Simulation.Now);
            function.Simulation.Schedule(interval, this);
        }
    }

    /// <summary>
    /// Arrivals from per-minute counts: the n invocations of a minute fall at independent uniform
    /// times within it, generated in increasing order one at a time (each is the minimum of the
    /// remaining uniforms above the previous one), so a trace of any length costs no memory.
    /// </summary>
    private sealed class TraceArrivals(IReadOnlyList<int> counts, RandomStream random)
    {
        private int _minute = -1;
        private int _left;
        private double _position;

        public double? Next()
        {
            while (_left == 0)
            {
                if (++_minute >= counts.Count)
                {
                    return null;
                }
                _left = counts[_minute];
                _position = 0;
            }
            _position += (1 - _position) * (1 - Math.Pow(1 - random.NextDouble(), 1.0 / _left));
            _left--;
            return 60 * (_minute + _position);
        }
    }
}
