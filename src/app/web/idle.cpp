#include "app/web/idle.h"

#include <GLFW/glfw3.h>

namespace {

bool g_input = false;

void OnCursor(GLFWwindow*, double, double) { g_input = true; }
void OnScroll(GLFWwindow*, double, double) { g_input = true; }
void OnKey(GLFWwindow*, int, int, int, int) { g_input = true; }
void OnChar(GLFWwindow*, unsigned int) { g_input = true; }
void OnEnter(GLFWwindow*, int) { g_input = true; }

} // namespace

void WatchInput(GLFWwindow* window) {
    glfwSetCursorPosCallback(window, OnCursor);
    glfwSetScrollCallback(window, OnScroll);
    glfwSetKeyCallback(window, OnKey);
    glfwSetCharCallback(window, OnChar);
    glfwSetCursorEnterCallback(window, OnEnter);
}

bool TakeInput() {
    const bool input = g_input;
    g_input = false;
    return input;
}
