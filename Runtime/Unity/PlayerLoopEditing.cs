#nullable enable
using System;
using UnityEngine.LowLevel;

namespace LoopBridge
{
    /// <summary>
    /// Pure edits of a <see cref="PlayerLoopSystem"/> tree: find, remove and insert the LoopBridge
    /// system. Nothing here touches the engine; <see cref="UnityMainLoop"/> reads and writes the
    /// installed loop around these calls, on the main thread.
    /// </summary>
    internal static class PlayerLoopEditing
    {
        /// <summary>
        /// True for the LoopBridge system, including a stale copy from a previous domain: after a
        /// reload the old <see cref="LoopBridgeTick"/> type is a different <see cref="Type"/> object
        /// with the same full name, and comparing only by identity would leave it in place.
        /// </summary>
        internal static bool IsLoopBridgeSystem(Type? type)
        {
            return type != null
                && (type == typeof(LoopBridgeTick) || type.FullName == typeof(LoopBridgeTick).FullName);
        }

        /// <summary>Number of LoopBridge systems anywhere in <paramref name="system"/>.</summary>
        internal static int Count(in PlayerLoopSystem system)
        {
            var count = IsLoopBridgeSystem(system.type) ? 1 : 0;
            var subs = system.subSystemList;
            if (subs != null)
            {
                for (var i = 0; i < subs.Length; i++)
                    count += Count(subs[i]);
            }
            return count;
        }

        /// <summary>
        /// Number of systems of this domain's <see cref="LoopBridgeTick"/> type (identity, not name: a
        /// stale copy from a previous domain ticks nothing) anywhere in <paramref name="system"/>.
        /// </summary>
        internal static int CountCurrentDomain(in PlayerLoopSystem system)
        {
            var count = system.type == typeof(LoopBridgeTick) ? 1 : 0;
            var subs = system.subSystemList;
            if (subs != null)
            {
                for (var i = 0; i < subs.Length; i++)
                    count += CountCurrentDomain(subs[i]);
            }
            return count;
        }

        /// <summary>True when a system of type <paramref name="timing"/> exists anywhere in <paramref name="system"/>.</summary>
        internal static bool Contains(in PlayerLoopSystem system, Type timing)
        {
            if (system.type == timing)
                return true;
            var subs = system.subSystemList;
            if (subs != null)
            {
                for (var i = 0; i < subs.Length; i++)
                {
                    if (Contains(subs[i], timing))
                        return true;
                }
            }
            return false;
        }

        /// <summary>
        /// A copy of <paramref name="system"/> without any LoopBridge system (at any depth). Lists
        /// that contain none are shared with the input, not copied.
        /// </summary>
        internal static PlayerLoopSystem RemoveAll(PlayerLoopSystem system)
        {
            var subs = system.subSystemList;
            if (subs == null)
                return system;
            var kept = 0;
            for (var i = 0; i < subs.Length; i++)
            {
                if (!IsLoopBridgeSystem(subs[i].type))
                    kept++;
            }
            var result = new PlayerLoopSystem[kept];
            var n = 0;
            for (var i = 0; i < subs.Length; i++)
            {
                if (!IsLoopBridgeSystem(subs[i].type))
                    result[n++] = RemoveAll(subs[i]);
            }
            system.subSystemList = result;
            return system;
        }

        /// <summary>
        /// A copy of <paramref name="system"/> with <paramref name="insert"/> added as the first
        /// child of the first system of type <paramref name="timing"/> (depth first). At the front, so
        /// work handed over before the frame is visible to that phase's scripts (for the default
        /// <c>Update</c>: before <c>ScriptRunBehaviourUpdate</c>, i.e. every <c>MonoBehaviour.Update</c>);
        /// systems other packages insert at the front later (UniTask's) end up before it, which keeps
        /// that guarantee. Returns false, and leaves
        /// <paramref name="result"/> equal to the input, when no such system exists.
        /// </summary>
        internal static bool TryInsert(PlayerLoopSystem system, Type timing, PlayerLoopSystem insert, out PlayerLoopSystem result)
        {
            result = system;
            if (system.type == timing)
            {
                var old = system.subSystemList ?? Array.Empty<PlayerLoopSystem>();
                var subs = new PlayerLoopSystem[old.Length + 1];
                subs[0] = insert;
                Array.Copy(old, 0, subs, 1, old.Length);
                result.subSystemList = subs;
                return true;
            }
            var list = system.subSystemList;
            if (list == null)
                return false;
            for (var i = 0; i < list.Length; i++)
            {
                if (TryInsert(list[i], timing, insert, out var changed))
                {
                    var copy = (PlayerLoopSystem[])list.Clone();
                    copy[i] = changed;
                    result.subSystemList = copy;
                    return true;
                }
            }
            return false;
        }
    }
}
