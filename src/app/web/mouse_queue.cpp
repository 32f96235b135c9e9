#include "app/web/mouse_queue.h"

#include <imgui.h>

#include <GLFW/glfw3.h>

#include <deque>

namespace {

struct ButtonEvent {
    int button;
    bool down;
    ImVec2 at;  // where the pointer was, in the window's pixels
};

std::deque<ButtonEvent> g_events;
bool g_down[ImGuiMouseButton_COUNT] = {};  // the buttons as last handed to ImGui
ImVec2 g_last_at;                          // the pointer as last handed to ImGui

void OnMouseButton(GLFWwindow* window, int button, int action, int /*mods*/) {
    if (button < 0 || button >= ImGuiMouseButton_COUNT) return;
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    g_events.push_back({button, action == GLFW_PRESS, ImVec2(static_cast<float>(x), static_cast<float>(y))});
}

} // namespace

void QueueMouseButtons(GLFWwindow* window) { glfwSetMouseButtonCallback(window, OnMouseButton); }

void ApplyQueuedMouseButton() {
    ImGuiIO& io = ImGui::GetIO();
    if (!g_events.empty()) {
        const ButtonEvent event = g_events.front();
        const bool moved = event.at.x != g_last_at.x || event.at.y != g_last_at.y;
        if (!moved) {
            g_down[event.button] = event.down;
            g_events.pop_front();
        }
        for (int b = 0; b < ImGuiMouseButton_COUNT; ++b) io.MouseDown[b] = g_down[b];
        io.MousePos = event.at;
    }
    g_last_at = io.MousePos;
}

bool MouseButtonsQueued() { return !g_events.empty(); }
