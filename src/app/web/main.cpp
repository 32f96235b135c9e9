// The platform layer: a GLFW window on the page's <canvas id="canvas">, the ImGui
// context with its GLFW and OpenGL3 (WebGL2) backends, and the browser's frame loop.
// What is drawn lives in layout.cpp and the panels; what is known, in app_state.
//
// Sizes: the canvas's pixel buffer is its CSS box times devicePixelRatio, and ImGui
// works in those device pixels (Emscripten's GLFW reports the mouse in them too), so
// the theme scales fonts and spacing by the same ratio and text stays sharp.
#include "app/ui/app_state.h"
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/web/chart_export.h"
#include "app/web/idle.h"
#include "app/web/mouse_queue.h"
#include "app/web/page_bridge.h"
#include "app/web/trainer_bridge.h"

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace {

constexpr const char* default_study = "precomputed/skeleton/study.pack";
constexpr const char* canvas_selector = "#canvas";

AppState g_state;
GLFWwindow* g_window = nullptr;
bool g_working = false;       // background work remained after the last frame, here or in the trainer
bool g_working_here = false;  // ... on this thread, which needs every frame it can get
double g_last_frame = 0;  // ImGui time of the last frame drawn, in seconds
bool g_drew_last_tick = false;  // the previous animation frame was drawn (not skipped)
bool g_drawn_once = false;
std::uint64_t g_shown_load = 0;  // the study load (AppState::load) the page was last told of, ready
int g_quiet_frames = 0;     // frames since the last reason to draw (idle.h)
int g_dots_tick = -1;       // the step of the "loading..." and "training..." dots at the last frame
constexpr int settle_frames = 3;

EM_JS(int, ScreenWidth, (), { return screen.width; });
EM_JS(int, ScreenHeight, (), { return screen.height; });
// Frames actually drawn, for the page's tests (idle.h: most animation frames draw nothing),
// and the main thread's time for each of the last few hundred: building the frame and
// handing its draw lists to WebGL, without the background work. Under software WebGL
// the rasterising happens elsewhere, so this is what a frame costs whatever the GPU.
EM_JS(void, CountDrawnFrame, (double draw_ms), {
    Module["drawnFrames"] = (Module["drawnFrames"] || 0) + 1;
    const times = Module["drawMs"] || (Module["drawMs"] = []);
    times.push(draw_ms);
    if (times.length > 600) times.shift();
});

struct CanvasSize {
    int width = 0, height = 0;  // device pixels
    float scale = 1;            // devicePixelRatio
};

CanvasSize MeasureCanvas() {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size(canvas_selector, &css_w, &css_h);
    CanvasSize size;
    size.scale = static_cast<float>(emscripten_get_device_pixel_ratio());
    if (!(size.scale > 0)) size.scale = 1;
    size.width = std::max(1, static_cast<int>(std::lround(css_w * size.scale)));
    size.height = std::max(1, static_cast<int>(std::lround(css_h * size.scale)));
    // Emscripten's glfwSetWindowSize asks for full screen when the size equals the
    // screen's; one pixel less keeps the canvas in the page.
    if (size.width == ScreenWidth() && size.height == ScreenHeight()) --size.height;
    return size;
}

// Follows the canvas's CSS box (the page lays it out) and the pixel ratio (zoom, a
// move to another screen), rebuilding the fonts when the ratio changes. True when
// either changed.
bool FitCanvas() {
    const CanvasSize size = MeasureCanvas();
    int w = 0, h = 0;
    glfwGetWindowSize(g_window, &w, &h);
    const bool resized = w != size.width || h != size.height;
    if (resized) glfwSetWindowSize(g_window, size.width, size.height);
    if (size.scale == GetTheme().scale) return resized;
    ApplyTheme(size.scale);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    return true;
}

// Whether the page has not yet been told of the state as it is: a changed view, a
// study loaded, work finished, a widget appeared or took the keyboard focus.
bool Unpublished(bool working) { return PageFactsOf(g_state, working) != g_state.page.published; }

// Whether this frame must be drawn (idle.h).
bool MustDraw(bool resized) {
    const bool copied_note = g_state.view.link_copied_at >= 0 && ImGui::GetTime() - g_state.view.link_copied_at < copied_note_seconds;
    // The dots of the loading screen and of a router training in the worker move three
    // times a second (layout.cpp, Pending in widgets.cpp): draw only then, which leaves
    // the worker the CPU.
    const int dots_tick = static_cast<int>(glfwGetTime() * 3);
    const bool dots_moved = dots_tick != g_dots_tick;
    g_dots_tick = dots_tick;
    const bool waiting = (g_state.session.status == LoadStatus::Fetching || !g_state.session.router_training.empty()) && dots_moved;
    const bool reason = TakeInput() || MouseButtonsQueued() || resized || g_working_here || Unpublished(g_working) ||
                        waiting || copied_note;
    g_quiet_frames = reason ? 0 : g_quiet_frames + 1;
    return g_quiet_frames <= settle_frames;
}

void Frame() {
    // Until the first study arrives the page's own cover says so; drawing meanwhile would
    // only keep the one thread busy when the download completes.
    const bool skip = (!g_drawn_once && g_state.session.status == LoadStatus::Fetching) || !MustDraw(FitCanvas());
    if (skip) {
        g_drew_last_tick = false;
        return;  // the canvas keeps its last picture
    }
    const double draw_start = emscripten_get_now();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ApplyQueuedMouseButton();
    ImGui::NewFrame();
    g_state.page.last_targets.swap(g_state.page.targets);
    g_state.page.targets.clear();
    g_state.page.focused_target.clear();
    DrawApp(g_state);
    ImGui::Render();
    double draw_ms = emscripten_get_now() - draw_start;
    // Background work (labels, intervals, the decomposition) gets what is left of a
    // 60 Hz frame, or as long as drawing took when frames are slow (software WebGL), so
    // it never takes more than half the time; the next frame shows what it finished.
    // The interval counts only between frames drawn back to back: after an idle spell
    // it would be the idle time, and the first reaction to a click would wait for it.
    const double now = ImGui::GetTime();
    const double frame_ms = g_drew_last_tick && g_last_frame > 0 ? 1000.0 * (now - g_last_frame) : 0.0;
    g_last_frame = now;
    g_drew_last_tick = true;
    g_drawn_once = true;
    // A study just loaded is shown before any background work starts: one slice of it
    // (a bootstrap, a label matrix) can take longer than all the first frames together
    // on the large studies, and the reader would wait for it to see anything. Until
    // then the page is told that work remains, which is true or soon found not to be.
    const bool ready = g_state.session.status == LoadStatus::Ready;
    g_working_here = (ready && g_shown_load == g_state.load)
                         ? RunBackgroundWork(g_state, std::clamp(frame_ms / 2, 10.0, 250.0))
                         : ready;
    const bool working = g_working_here || !g_state.session.router_training.empty();
    g_working = working;

    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(g_window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    const ImVec4 bg = GetTheme().background;
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    const double submit_start = emscripten_get_now();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    draw_ms += emscripten_get_now() - submit_start;
    CountDrawnFrame(draw_ms);
    if (g_state.page.export_png_requested) ExportChartPng(g_state, fb_w, fb_h);
    ServePageRequests(g_state);

    // Only now is the change on screen. Tell the page (and any test waiting on it) once
    // every clickable widget sits where it sat last frame, so published positions hold.
    if (Unpublished(working) && g_state.page.targets == g_state.page.last_targets) {
        PublishToPage(g_state, working);
        if (g_state.session.status == LoadStatus::Ready) g_shown_load = g_state.load;
    }
}

} // namespace

int main(int argc, char** argv) {
    // The page passes the view from its address (Module.arguments): study URL,
    // protocol, tab, query id, router view (RouterView); each may be empty.
    auto arg = [&](int i) { return argc > i && argv[i][0] ? std::string(argv[i]) : std::string(); };
    g_state.session.study_url = arg(1).empty() ? default_study : arg(1);
    const std::string protocol = arg(2);
    if (auto tab = ParseTab(arg(3))) {
        g_state.view.tab = *tab;
        g_state.view.tab_from_url = true;
    }
    g_state.view.linked_query = arg(4);
    ApplyRouterView(g_state, arg(5));
    // A linked view skips the guess: the reader who sends a link has already guessed.
    g_state.view.headroom_revealed = !protocol.empty() || !arg(3).empty() || !arg(4).empty();
    ConnectPage(g_state);
    ConnectTrainer(g_state);

    if (!glfwInit()) {
        FailLoading(g_state, "This browser could not start the app's window system (GLFW).");
        PublishToPage(g_state, false);
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    // ImGui draws flat triangles over an opaque background: no depth, stencil or alpha.
    // GLFW's defaults ask for all three, which software WebGL pays for on every frame.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_ALPHA_BITS, 0);
    const CanvasSize size = MeasureCanvas();
    g_window = glfwCreateWindow(size.width, size.height, "Headroom", nullptr, nullptr);
    if (!g_window) {
        // No WebGL2 context: nothing can be drawn, so the page shows the words instead.
        FailLoading(g_state, "This browser could not create a WebGL2 context, which the app needs to draw.");
        PublishToPage(g_state, false);
        return 1;
    }
    glfwMakeContextCurrent(g_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no window layout to keep: the layout is fixed, and a browser has no files
    // Arrow keys move between widgets, Space presses the one outlined, Escape backs out.
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ApplyTheme(size.scale);
    QueueMouseButtons(g_window);
    WatchInput(g_window);
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    StartStudyFetch(g_state, protocol);
    // 0 = the browser's own frame rate (requestAnimationFrame); true = never return.
    emscripten_set_main_loop(Frame, 0, true);
    return 0;
}
