package io.myelin.kernels;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenCL devices Aparapi can see, found once per JVM. Never throws while looking: a missing OpenCL library or
 * ICD loader, or no platform, becomes an empty list with a reason.
 *
 * <p>Public for the other kernel packages of this module ({@code io.myelin.kernels.quant}); not an API for users.
 */
public final class OpenClDevices {
    /** Held so the level sticks: Aparapi warns about every untested platform version on stderr. */
    private static final Logger APARAPI_LOG = Logger.getLogger("com.aparapi");

    private static List<OpenCLDevice> devices;
    private static String unavailableReason;

    private OpenClDevices() {
    }

    /** All devices, GPUs first (then accelerators, then CPUs), in platform order within a kind. */
    public static synchronized List<OpenCLDevice> all() {
        if (devices == null) {
            discover();
        }
        return devices;
    }

    /** Why {@link #all()} is empty; null when it is not. */
    public static synchronized String unavailableReason() {
        all();
        return unavailableReason;
    }

    private static void discover() {
        if (APARAPI_LOG.getLevel() == null) {
            APARAPI_LOG.setLevel(Level.SEVERE);
        }
        List<OpenCLDevice> found = new ArrayList<>();
        try {
            if (!OpenCLLoader.isOpenCLAvailable()) {
                unavailableReason = "no OpenCL runtime: Aparapi could not load its native library against libOpenCL "
                        + "(install an OpenCL ICD loader and a platform, e.g. apt-get install ocl-icd-libopencl1 pocl-opencl-icd)";
            } else {
                List<OpenCLDevice> listed = OpenCLDevice.listDevices(null);
                for (Device.TYPE type : new Device.TYPE[]{Device.TYPE.GPU, Device.TYPE.ACC, Device.TYPE.CPU}) {
                    for (OpenCLDevice d : listed) {
                        if (d.getType() == type) {
                            found.add(d);
                        }
                    }
                }
                if (found.isEmpty()) {
                    unavailableReason = "no OpenCL platform or device found (no ICD registered in /etc/OpenCL/vendors?)";
                }
            }
        } catch (Throwable t) { // UnsatisfiedLinkError and friends: a broken OpenCL installation
            found.clear();
            unavailableReason = "OpenCL could not be initialised: " + t;
        }
        devices = List.copyOf(found);
    }

    /** Whether any GPU is present. */
    static boolean hasGpu() {
        return all().stream().anyMatch(d -> d.getType() == Device.TYPE.GPU);
    }

    /**
     * The device for a user's selector: null or empty = the first of {@link #all()} (a GPU when there is one);
     * "gpu", "cpu", "acc" = the first of that kind; anything else = the first device whose name or vendor contains it
     * (case-insensitive).
     *
     * @throws InvalidInputException when OpenCL is unavailable or nothing matches (listing what exists)
     */
    public static OpenCLDevice select(String selector) {
        List<OpenCLDevice> list = all();
        if (list.isEmpty()) {
            throw new InvalidInputException("backend 'opencl' is not available here: " + unavailableReason());
        }
        if (selector == null || selector.isBlank()) {
            return list.get(0);
        }
        String key = selector.trim().toLowerCase(Locale.ROOT);
        for (OpenCLDevice d : list) {
            boolean typeMatch = key.equals(d.getType().name().toLowerCase(Locale.ROOT));
            boolean nameMatch = describe(d).toLowerCase(Locale.ROOT).contains(key);
            if (typeMatch || nameMatch) {
                return d;
            }
        }
        List<String> names = list.stream().map(OpenClDevices::describe).toList();
        throw new InvalidInputException("no OpenCL device matches '" + selector + "'; devices here: " + names);
    }

    /** E.g. "GPU NVIDIA H100 80GB HBM3 (NVIDIA Corporation)". */
    public static String describe(OpenCLDevice d) {
        String vendor;
        try {
            vendor = d.getOpenCLPlatform().getVendor();
        } catch (RuntimeException e) {
            vendor = "unknown vendor";
        }
        return d.getType() + " " + d.getName() + " (" + vendor + ")";
    }

    /** Position of {@code d} in {@link #all()}, which a child JVM reproduces (same discovery order). */
    static int indexOf(OpenCLDevice d) {
        return all().indexOf(d);
    }
}
