// Stub of Unity.Profiling.ProfilerCounterValue<T> from the com.unity.profiling.core package (1.0 signatures, only the
// members LoopBridge uses). The value is kept in a box so the readonly struct behaves like the native slot it wraps.
namespace Unity.Profiling
{
    public readonly struct ProfilerCounterValue<T> where T : unmanaged
    {
        readonly Slot m_Slot;

        public ProfilerCounterValue(string name) : this(ProfilerCategory.Scripts, name, ProfilerMarkerDataUnit.Undefined) {}

        public ProfilerCounterValue(string name, ProfilerMarkerDataUnit dataUnit) : this(ProfilerCategory.Scripts, name, dataUnit) {}

        public ProfilerCounterValue(ProfilerCategory category, string name, ProfilerMarkerDataUnit dataUnit)
        {
            m_Slot = new Slot();
        }

        public T Value
        {
            get => m_Slot.Value;
            set => m_Slot.Value = value;
        }

        sealed class Slot
        {
            internal T Value;
        }
    }
}
